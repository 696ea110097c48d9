PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_messages` (
	`id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`seq` integer NOT NULL,
	`sender_id` text NOT NULL,
	`client_msg_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`conversation_id`, `seq`)
);
--> statement-breakpoint
INSERT INTO `__new_messages`("id", "conversation_id", "seq", "sender_id", "client_msg_id", "body", "created_at") SELECT "id", "conversation_id", "seq", "sender_id", "client_msg_id", "body", "created_at" FROM `messages`;--> statement-breakpoint
DROP TABLE `messages`;--> statement-breakpoint
ALTER TABLE `__new_messages` RENAME TO `messages`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_id_uq` ON `messages` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_sender_client_msg_uq` ON `messages` (`sender_id`,`client_msg_id`);