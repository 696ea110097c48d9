CREATE TABLE `notice_credits` (
	`user_id` text NOT NULL,
	`template_id` text NOT NULL,
	`credits` integer NOT NULL,
	PRIMARY KEY(`user_id`, `template_id`)
);
--> statement-breakpoint
CREATE TABLE `notice_marks` (
	`user_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`notified_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `conversation_id`)
);
