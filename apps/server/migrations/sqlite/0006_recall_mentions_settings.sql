ALTER TABLE `conversations` ADD `last_mention_all_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `last_mention_seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `pinned` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `notifications_muted` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `draft` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `quiet` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `recall_of` text;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_recall_of_uq` ON `messages` (`recall_of`);