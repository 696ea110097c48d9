ALTER TABLE `conversations` ADD `owner_id` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `announcement` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `muted_all_until` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `dissolved_at` integer;--> statement-breakpoint
ALTER TABLE `members` ADD `is_admin` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `muted_until` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Groups made before roles existed: their first member (the creator) becomes the owner.
UPDATE `conversations` SET `owner_id` = (SELECT `user_id` FROM `members` WHERE `members`.`conversation_id` = `conversations`.`id` ORDER BY `position` LIMIT 1) WHERE `kind` = 'group' AND `owner_id` IS NULL;