import { describe, expect, it } from "vitest";
import { CLUSTER_SKIP_REASON } from "../cluster/support/env";
import type { TestClient } from "../support/client";
import { ServerGroup } from "../support/server-group";
import { CLUSTER_INSTANCES, startGuaranteeServer } from "./fixture";
import { defineGuaranteeSuite } from "./guarantee-suite";
import { closeAll, connectAll, range, TEST_TIMEOUT, uid } from "./scenario";

// CI sets MYSQL_URL and REDIS_URL; then both must be reachable or these tests fail (never skip).
if (CLUSTER_SKIP_REASON === undefined) {
  describe("guarantees (cluster): the harness spreads clients", { timeout: TEST_TIMEOUT }, () => {
    it(`puts consecutive connections, including one user's devices, on different instances of ${CLUSTER_INSTANCES}`, async () => {
      const g = await startGuaranteeServer("cluster");
      let clients: TestClient[] = [];
      try {
        if (!(g.server instanceof ServerGroup)) throw new Error("a cluster fixture serves a ServerGroup");
        const { instances } = g.server;
        expect(instances).toHaveLength(CLUSTER_INSTANCES);
        expect(new Set(instances.map((instance) => instance.wsUrl)).size).toBe(CLUSTER_INSTANCES);
        const userId = uid("everywhere");
        clients = await connectAll(
          g.server,
          range(1, 2 * CLUSTER_INSTANCES).map(() => userId),
        );
        expect(instances.map((instance) => instance.app.gateway.connectionCount)).toEqual(instances.map(() => 2));
        // HTTP calls rotate as well, and a token from one instance is good on the others.
        expect(new Set(range(1, CLUSTER_INSTANCES).map(() => g.server.httpUrl)).size).toBe(CLUSTER_INSTANCES);
        const [first] = clients;
        const seen = await Promise.all(range(1, CLUSTER_INSTANCES).map(() => first?.api(g.server).me()));
        expect(seen.map((user) => user?.id)).toEqual(range(1, CLUSTER_INSTANCES).map(() => userId));
      } finally {
        await closeAll(clients);
        await g.close();
      }
    });
  });
  defineGuaranteeSuite("cluster");
} else {
  const reason = `${CLUSTER_SKIP_REASON}: the cluster run (3 instances on MariaDB and Redis) is skipped`;
  console.warn(`guarantees (cluster): ${reason}`);
  describe("guarantees (cluster)", () => {
    it.skip(reason, () => {});
  });
}
