-- Cluster messages by (conversation_id, seq): one table rebuild, in a single ALTER.
ALTER TABLE `messages` DROP INDEX `messages_conversation_seq_uq`, DROP PRIMARY KEY, ADD PRIMARY KEY(`conversation_id`,`seq`), ADD CONSTRAINT `messages_id_uq` UNIQUE(`id`);
