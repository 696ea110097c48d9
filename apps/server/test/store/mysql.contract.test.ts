import { describe, it } from "vitest";
import { openStore } from "../../src/store/open-store";
import { createFreshDatabase, MYSQL_SKIP_REASON, MYSQL_URL } from "./mysql-database";
import { storeContract } from "./store-contract";
import { wellFormedContract } from "./well-formed-contract";

const baseUrl = MYSQL_URL;
if (baseUrl) {
  const openFresh = async () => {
    const database = await createFreshDatabase(baseUrl);
    const store = await openStore({ databaseUrl: database.url, dataDir: "unused", poolSize: 8, timeoutMs: 10_000 });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await database.drop();
      },
    };
  };
  storeContract("MySQL (mysql2 pool, fresh database on MYSQL_URL)", openFresh);
  wellFormedContract("MySQL", openFresh);
} else {
  describe("Store contract: MySQL", () => {
    it.skip(MYSQL_SKIP_REASON, () => {});
  });
}
