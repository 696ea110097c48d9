CREATE TABLE `media_checks` (
	`trace_id` text PRIMARY KEY NOT NULL,
	`media_id` text NOT NULL,
	`created_at` integer NOT NULL
);
