CREATE TABLE `message_media` (
	`conversation_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`seq` bigint NOT NULL,
	`media_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	CONSTRAINT `message_media_conversation_id_seq_pk` PRIMARY KEY(`conversation_id`,`seq`)
);
--> statement-breakpoint
CREATE INDEX `message_media_media_idx` ON `message_media` (`media_id`,`conversation_id`);--> statement-breakpoint
-- Backfill: the media that messages stored before this table name (one scan of messages, once;
-- json_unquote(json_extract()) rather than json_value, which MySQL has only since 8.0.21).
INSERT INTO `message_media` (`conversation_id`, `seq`, `media_id`)
SELECT `conversation_id`, `seq`, json_unquote(json_extract(`body`, '$.mediaId')) FROM `messages`
WHERE json_valid(`body`) AND json_unquote(json_extract(`body`, '$.kind')) IN ('image', 'voice', 'file')
  AND json_unquote(json_extract(`body`, '$.mediaId')) IS NOT NULL;
