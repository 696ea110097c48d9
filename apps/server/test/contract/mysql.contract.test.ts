import { describe, it } from "vitest";
import { defineGuaranteeSuite } from "./guarantee-suite";

// CI sets MYSQL_URL; then the database must be reachable or these tests fail (never skip).
if (process.env.MYSQL_URL?.trim()) {
  defineGuaranteeSuite("mysql");
} else {
  const reason = "MYSQL_URL is not set (e.g. mysql://root@127.0.0.1:3306/test): the MariaDB half is skipped";
  console.warn(`guarantees (mysql): ${reason}`);
  describe("guarantees (mysql)", () => {
    it.skip(reason, () => {});
  });
}
