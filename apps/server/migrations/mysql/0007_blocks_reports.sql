CREATE TABLE `blocks` (
	`blocker_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`blocked_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`created_at` bigint NOT NULL,
	CONSTRAINT `blocks_blocker_id_blocked_id_pk` PRIMARY KEY(`blocker_id`,`blocked_id`)
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`reporter_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`conversation_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`message_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`user_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`reason` text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`message` mediumtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`status` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`created_at` bigint NOT NULL,
	`resolved_at` bigint,
	`note` text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	CONSTRAINT `reports_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE INDEX `reports_status_created_idx` ON `reports` (`status`,`created_at`);