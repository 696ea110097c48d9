import type { Message } from "@mpchat/protocol";
import { memoryStorage } from "../../src/adapters/storages";
import { ChatClient } from "../../src/chat-client";
import type { ChatEvents } from "../../src/events";
import type { ChatClientOptions } from "../../src/options";
import type { FakeServer } from "./fake-server";

/** A ChatClient on a FakeServer, with every event it emitted recorded. */
export function fakeClient(server: FakeServer, userId: string, options: Partial<ChatClientOptions> = {}) {
  const client = new ChatClient({
    url: "ws://fake/v1/ws",
    httpBase: "http://fake",
    token: `t-${userId}`,
    transport: server.transport(),
    http: server.http(),
    storage: memoryStorage(),
    backoff: { baseMs: 100, maxMs: 1000 },
    random: () => 0.5,
    initialHistory: Number.POSITIVE_INFINITY,
    ...options,
  });
  const events = {
    message: [] as Message[],
    recovered: [] as ChatEvents["recovered"][],
    sendFailed: [] as ChatEvents["sendFailed"][],
    state: [] as ChatEvents["state"][],
    unauthorized: [] as ChatEvents["unauthorized"][],
  };
  client.on("message", (m) => events.message.push(m));
  client.on("recovered", (e) => events.recovered.push(e));
  client.on("sendFailed", (e) => events.sendFailed.push(e));
  client.on("state", (e) => events.state.push(e));
  client.on("unauthorized", (e) => events.unauthorized.push(e));
  return { client, events };
}

export const seqsOf = (messages: readonly Message[]) => messages.map((m) => m.seq);
