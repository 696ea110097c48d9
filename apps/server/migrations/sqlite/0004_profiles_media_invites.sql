CREATE TABLE `invites` (
	`code` text PRIMARY KEY NOT NULL,
	`creator_id` text NOT NULL,
	`conversation_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE TABLE `media` (
	`id` text PRIMARY KEY NOT NULL,
	`uploader_id` text NOT NULL,
	`client_media_id` text NOT NULL,
	`kind` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`width` integer,
	`height` integer,
	`duration_ms` integer,
	`name` text,
	`storage_key` text NOT NULL,
	`thumbnail_key` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `media_uploader_client_uq` ON `media` (`uploader_id`,`client_media_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `avatar_media_id` text;