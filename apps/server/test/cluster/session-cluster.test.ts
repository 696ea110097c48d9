import { CloseCode } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GuaranteeServer, startGuaranteeServer } from "../contract/fixture";
import { devLogin, rawRequest } from "../support/api";
import { TestClient } from "../support/client";
import type { TestServer } from "../support/server";
import type { ServerGroup } from "../support/server-group";
import { CLUSTER_SKIP_REASON, CLUSTER_TEST_TIMEOUT, suiteTitle } from "./support/env";

/** PROTOCOL.md, "Sessions": logout reaches sockets on every instance within 3 s. */
const LOGOUT_REACH_MS = 3_000;

async function openWith(server: TestServer, token: string): Promise<TestClient> {
  const client = await TestClient.open(server);
  const ready = await client.request({ type: "auth", token });
  expect(ready).toMatchObject({ type: "ready" });
  return client;
}

/** Resolves with the close, or rejects when the socket is still open after `ms`. */
function closedWithin(client: TestClient, ms: number) {
  return Promise.race([
    client.closed,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms)),
  ]);
}

describe.skipIf(CLUSTER_SKIP_REASON !== undefined)(
  suiteTitle("sessions across instances (MariaDB + Redis, in-process instances)"),
  { timeout: CLUSTER_TEST_TIMEOUT },
  () => {
    let g: GuaranteeServer;
    let instances: readonly TestServer[];
    beforeAll(async () => {
      g = await startGuaranteeServer("cluster");
      instances = (g.server as ServerGroup).instances;
    }, CLUSTER_TEST_TIMEOUT);
    afterAll(async () => g?.close());

    const at = (i: number): TestServer => instances[i % instances.length] as TestServer;

    it("logout on one instance closes the session's sockets on the others with 4401 within 3 s, then refuses it everywhere", async () => {
      const { token } = await devLogin(at(0), "cluster-leaver");
      const other = await devLogin(at(0), "cluster-leaver");
      const sockets = [await openWith(at(1), token), await openWith(at(2), token)];
      const bystander = await openWith(at(1), other.token);

      expect((await rawRequest(at(0), "POST", "/v1/auth/logout", { token })).status).toBe(204);
      for (const socket of sockets) {
        expect(await closedWithin(socket, LOGOUT_REACH_MS)).toMatchObject({ code: CloseCode.Unauthorized });
      }
      for (const server of instances) {
        expect((await rawRequest(server, "GET", "/v1/me", { token })).status).toBe(401);
        const socket = await TestClient.open(server);
        socket.sendRaw(JSON.stringify({ type: "auth", id: "a1", token }));
        expect((await socket.closed).code).toBe(CloseCode.Unauthorized);
      }
      // The user's other session, on the same instance as a closed socket, is untouched.
      expect((await bystander.request({ type: "ping" })).type).toBe("pong");
      await bystander.close();
    });

    it("a token refreshed on one instance works on every instance; its logout on another refuses the original too", async () => {
      const { token } = await devLogin(at(0), "cluster-refresher");
      const answer = await rawRequest(at(1), "POST", "/v1/auth/refresh", { token });
      expect(answer.status).toBe(200);
      const refreshed = (answer.body as { token: string }).token;
      for (const server of instances) {
        expect((await rawRequest(server, "GET", "/v1/me", { token: refreshed })).status).toBe(200);
      }
      // Sockets on the original token, one per instance: the session's logout closes them too.
      const sockets = await Promise.all(instances.map((server) => openWith(server, token)));
      expect((await rawRequest(at(2), "POST", "/v1/auth/logout", { token: refreshed })).status).toBe(204);
      for (const socket of sockets) {
        expect(await closedWithin(socket, LOGOUT_REACH_MS)).toMatchObject({ code: CloseCode.Unauthorized });
      }
      for (const server of instances) {
        expect((await rawRequest(server, "GET", "/v1/me", { token })).status).toBe(401);
      }
    });

    it("a logout holds for an instance started after it (stored, not only heard)", async () => {
      const { token } = await devLogin(at(0), "cluster-late");
      expect((await rawRequest(at(1), "POST", "/v1/auth/logout", { token })).status).toBe(204);
      const late = await g.startAnotherInstance();
      expect((await rawRequest(late, "GET", "/v1/me", { token })).status).toBe(401);
    });
  },
);
