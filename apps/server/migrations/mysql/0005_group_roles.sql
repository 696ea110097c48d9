ALTER TABLE `conversations` ADD `owner_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;--> statement-breakpoint
ALTER TABLE `conversations` ADD `announcement` varchar(1000) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;--> statement-breakpoint
ALTER TABLE `conversations` ADD `muted_all_until` bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `dissolved_at` bigint;--> statement-breakpoint
ALTER TABLE `members` ADD `is_admin` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `muted_until` bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Groups made before roles existed: their first member (the creator) becomes the owner.
UPDATE `conversations` SET `owner_id` = (SELECT `user_id` FROM `members` WHERE `members`.`conversation_id` = `conversations`.`id` ORDER BY `position` LIMIT 1) WHERE `kind` = 'group' AND `owner_id` IS NULL;