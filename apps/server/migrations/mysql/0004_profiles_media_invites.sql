CREATE TABLE `invites` (
	`code` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`creator_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`conversation_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`created_at` bigint NOT NULL,
	`expires_at` bigint NOT NULL,
	`revoked_at` bigint,
	CONSTRAINT `invites_code` PRIMARY KEY(`code`)
);
--> statement-breakpoint
CREATE TABLE `media` (
	`id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uploader_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`client_media_id` varbinary(256) NOT NULL,
	`kind` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`mime` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`size` bigint NOT NULL,
	`width` int,
	`height` int,
	`duration_ms` bigint,
	`name` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`storage_key` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`thumbnail_key` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`created_at` bigint NOT NULL,
	CONSTRAINT `media_id` PRIMARY KEY(`id`),
	CONSTRAINT `media_uploader_client_uq` UNIQUE(`uploader_id`,`client_media_id`)
);
--> statement-breakpoint
ALTER TABLE `users` ADD `avatar_media_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;