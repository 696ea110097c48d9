ALTER TABLE `conversations` ADD `last_mention_all_seq` bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `last_mention_seq` bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `pinned` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `notifications_muted` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `draft` text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;--> statement-breakpoint
ALTER TABLE `messages` ADD `quiet` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `recall_of` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;--> statement-breakpoint
ALTER TABLE `messages` ADD CONSTRAINT `messages_recall_of_uq` UNIQUE(`recall_of`);