import { CloseCode } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GuaranteeServer, startGuaranteeServer } from "../contract/fixture";
import { devLogin, rawRequest } from "../support/api";
import { TestClient } from "../support/client";
import type { TestServer } from "../support/server";
import type { ServerGroup } from "../support/server-group";
import { CLUSTER_SKIP_REASON, CLUSTER_TEST_TIMEOUT, suiteTitle } from "./support/env";

const ADMIN_TOKEN = "cluster-admin-token-0123456789";

async function openWith(server: TestServer, token: string): Promise<TestClient> {
  const client = await TestClient.open(server);
  const ready = await client.request({ type: "auth", token });
  expect(ready).toMatchObject({ type: "ready" });
  return client;
}

describe.skipIf(CLUSTER_SKIP_REASON !== undefined)(
  suiteTitle("admin bans across instances (MariaDB + Redis, in-process instances)"),
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

    it("a ban on one instance closes the user's sockets on every instance with 4403 and is refused everywhere; unban lets them back", async () => {
      expect(instances.length).toBe(3);
      const first = await devLogin(at(0), "cluster-banned");
      const second = await devLogin(at(1), "cluster-banned");
      const sockets = [
        await openWith(at(0), first.token),
        await openWith(at(1), first.token),
        await openWith(at(2), second.token),
      ];
      const bystander = await openWith(at(2), (await devLogin(at(2), "cluster-bystander")).token);

      const ban = await rawRequest(at(1), "POST", "/v1/admin/users/cluster-banned/ban", {
        token: ADMIN_TOKEN,
        body: { reason: "spam across the cluster" },
      });
      expect(ban.status).toBe(200);
      for (const socket of sockets) expect((await socket.closed).code).toBe(CloseCode.Banned);

      for (const server of instances) {
        expect((await rawRequest(server, "GET", "/v1/me", { token: second.token })).status).toBe(403);
        const login = await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: "cluster-banned" } });
        expect(login.status).toBe(403);
        expect(login.body).toMatchObject({ error: { code: "forbidden", message: expect.stringContaining("banned") } });
        const socket = await TestClient.open(server);
        socket.sendRaw(JSON.stringify({ type: "auth", id: "a1", token: first.token }));
        expect((await socket.closed).code).toBe(CloseCode.Banned);
      }
      expect((await bystander.request({ type: "ping" })).type).toBe("pong");

      expect(
        (await rawRequest(at(2), "DELETE", "/v1/admin/users/cluster-banned/ban", { token: ADMIN_TOKEN })).status,
      ).toBe(204);
      for (const server of instances) {
        expect((await rawRequest(server, "GET", "/v1/me", { token: second.token })).status).toBe(200);
      }
      await bystander.close();
    });
  },
);
