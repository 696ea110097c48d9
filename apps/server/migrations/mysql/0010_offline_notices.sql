CREATE TABLE `notice_credits` (
	`user_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`template_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`credits` int NOT NULL,
	CONSTRAINT `notice_credits_user_id_template_id_pk` PRIMARY KEY(`user_id`,`template_id`)
);
--> statement-breakpoint
CREATE TABLE `notice_marks` (
	`user_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`conversation_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`notified_at` bigint NOT NULL,
	CONSTRAINT `notice_marks_user_id_conversation_id_pk` PRIMARY KEY(`user_id`,`conversation_id`)
);
