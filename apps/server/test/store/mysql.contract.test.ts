import { describe, it } from "vitest";
import { openStore } from "../../src/store/open-store";
import { createFreshDatabase, MYSQL_SKIP_REASON, MYSQL_URL } from "./mysql-database";
import { storeContract } from "./store-contract";

const baseUrl = MYSQL_URL;
if (baseUrl) {
  storeContract("MySQL (mysql2 pool, fresh database on MYSQL_URL)", async () => {
    const database = await createFreshDatabase(baseUrl);
    const store = await openStore({ databaseUrl: database.url, dataDir: "unused", poolSize: 8, timeoutMs: 10_000 });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await database.drop();
      },
    };
  });
} else {
  describe("Store contract: MySQL", () => {
    it.skip(MYSQL_SKIP_REASON, () => {});
  });
}
