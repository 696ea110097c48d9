import type { ConversationRemovedFrame } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GuaranteeServer, startGuaranteeServer } from "../contract/fixture";
import { rawRequest } from "../support/api";
import { TestClient } from "../support/client";
import type { TestServer } from "../support/server";
import type { ServerGroup } from "../support/server-group";
import { CLUSTER_SKIP_REASON, CLUSTER_TEST_TIMEOUT, suiteTitle } from "./support/env";

const ADMIN_TOKEN = "cluster-admin-token-0123456789";

describe.skipIf(CLUSTER_SKIP_REASON !== undefined)(
  suiteTitle("admin conversation moderation across instances (MariaDB + Redis, in-process instances)"),
  { timeout: CLUSTER_TEST_TIMEOUT },
  () => {
    let g: GuaranteeServer;
    let instances: readonly TestServer[];
    beforeAll(async () => {
      g = await startGuaranteeServer("cluster", { adminToken: ADMIN_TOKEN });
      instances = (g.server as ServerGroup).instances;
    }, CLUSTER_TEST_TIMEOUT);
    afterAll(async () => g?.close());

    const at = (i: number): TestServer => instances[i % instances.length] as TestServer;

    it("a removal and a dissolve on one instance reach the members' sockets on every instance; nothing more is sent there", async () => {
      expect(instances.length).toBe(3);
      const ids = ["cc-owner", "cc-a", "cc-b", "cc-c"];
      const clients = await Promise.all(ids.map((id, i) => TestClient.connect(at(i), id)));
      const [owner, a, b, c] = clients as [TestClient, TestClient, TestClient, TestClient];
      const group = await owner.api(at(0)).createGroup("集群群", ids.slice(1));
      const removed = (client: TestClient, reason: string) =>
        client.waitFor(
          (f): f is ConversationRemovedFrame =>
            f.type === "conversation_removed" && f.conversationId === group.id && f.reason === reason,
        );

      const cGone = removed(c, "removed");
      const removal = await rawRequest(at(1), "DELETE", `/v1/admin/conversations/${group.id}/members/cc-c`, {
        token: ADMIN_TOKEN,
        body: { reason: "spam across the cluster" },
      });
      expect(removal.status).toBe(200);
      await cGone;
      expect(await c.sendText(group.id, "from instance 3")).toMatchObject({ type: "error", code: "forbidden" });
      expect(await b.sendText(group.id, "still in")).toMatchObject({ type: "ack" });

      const heard = [owner, a, b].map((client) => removed(client, "dissolved"));
      const dissolve = await rawRequest(at(2), "POST", `/v1/admin/conversations/${group.id}/dissolve`, {
        token: ADMIN_TOKEN,
        body: { reason: "违规群" },
      });
      expect(dissolve.status).toBe(200);
      await Promise.all(heard);
      for (const [i, client] of [owner, a, b].entries()) {
        expect(await client.sendText(group.id, `after the dissolve ${i}`)).toMatchObject({
          type: "error",
          code: "forbidden",
        });
      }
      await Promise.all(clients.map((client) => client.close()));
    });
  },
);
