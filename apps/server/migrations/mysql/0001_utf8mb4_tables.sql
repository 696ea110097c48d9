-- Every column is declared utf8mb4 already; this makes the tables' own default utf8mb4 too,
-- so that a column added later without an explicit charset cannot fall back to latin1.
ALTER TABLE `users` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
--> statement-breakpoint
ALTER TABLE `conversations` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
--> statement-breakpoint
ALTER TABLE `members` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
--> statement-breakpoint
ALTER TABLE `messages` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
