CREATE TABLE `media_checks` (
	`trace_id` varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`media_id` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`created_at` bigint NOT NULL,
	CONSTRAINT `media_checks_trace_id` PRIMARY KEY(`trace_id`)
);
