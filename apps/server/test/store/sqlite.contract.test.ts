import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/open-store";
import { storeContract } from "./store-contract";
import { wellFormedContract } from "./well-formed-contract";

const openTemp = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "mpchat-store-"));
  const store = await openStore({ dataDir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

storeContract("SQLite (libsql, temp file)", openTemp);
wellFormedContract("SQLite", openTemp);
