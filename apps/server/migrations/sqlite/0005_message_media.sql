CREATE TABLE `message_media` (
	`conversation_id` text NOT NULL,
	`seq` integer NOT NULL,
	`media_id` text NOT NULL,
	PRIMARY KEY(`conversation_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `message_media_media_idx` ON `message_media` (`media_id`,`conversation_id`);--> statement-breakpoint
-- Backfill: the media that messages stored before this table name (one scan of messages, once).
INSERT INTO `message_media` (`conversation_id`, `seq`, `media_id`)
SELECT `conversation_id`, `seq`, json_extract(`body`, '$.mediaId') FROM `messages`
WHERE json_valid(`body`) AND json_extract(`body`, '$.kind') IN ('image', 'voice', 'file')
  AND json_type(`body`, '$.mediaId') = 'text';
