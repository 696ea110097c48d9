CREATE TABLE `sessions` (
	`id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`user_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`created_at` bigint NOT NULL,
	`ended_at` bigint,
	CONSTRAINT `sessions_id` PRIMARY KEY(`id`)
);
