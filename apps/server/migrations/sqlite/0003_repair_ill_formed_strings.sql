-- Versions before protocol 1.1 could store an unpaired surrogate as invalid UTF-8 TEXT
-- (a clientMsgId sent as "\ud800" went through json_each), and libsql aborts the process
-- when it reads such a row. SQL cannot tell valid UTF-8 from invalid, so this migration
-- only marks the repair as due: openSqlite then reads the suspect columns as BLOBs,
-- replaces every ill-formed sequence with U+FFFD and drops this table
-- (src/store/sqlite/repair-strings.ts), in one transaction.
CREATE TABLE `__mpchat_repair_strings` (`due` integer NOT NULL);
--> statement-breakpoint
INSERT INTO `__mpchat_repair_strings` (`due`) VALUES (1);
