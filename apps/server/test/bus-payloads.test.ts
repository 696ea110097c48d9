import { Limits } from "@mpchat/protocol";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { BusEvent } from "../src/bus/bus";
import { BusMessageTooLargeError, MAX_BUS_MESSAGE_BYTES, payloadsOf } from "../src/bus/bus-payloads";
import { decodeEnvelope, encodeEnvelope, RedisBus } from "../src/bus/redis";
import { REDIS_URL, suiteTitle } from "./cluster/support/env";

/** The longest user id the protocol allows (64 characters), numbered. */
const longId = (i: number) => `${"u".repeat(58)}${String(i).padStart(6, "0")}`;
const encode = (event: BusEvent) => encodeEnvelope("origin", event);
const bytes = (payload: string) => Buffer.byteLength(payload);
const recipientsOf = (payload: string) => {
  const event = decodeEnvelope(payload)?.event;
  if (!event || !("recipients" in event)) throw new Error(`no recipients in ${payload.slice(0, 80)}`);
  return event.recipients;
};

describe("bus payloads stay at most 1 MiB", () => {
  it("sends a small event as one payload, exactly the envelope", () => {
    const event: BusEvent = { type: "typing", recipients: ["a", "b"], conversationId: "c", userId: "a" };
    expect(payloadsOf(event, encode)).toEqual([encode(event)]);
  });

  it("splits a presence event for 40,000 contacts into parts under 1 MiB for disjoint recipients", () => {
    const recipients = Array.from({ length: 40_000 }, (_, i) => longId(i));
    const event: BusEvent = { type: "presence", recipients, userId: "popular", online: true };
    expect(bytes(encode(event))).toBeGreaterThan(2 * MAX_BUS_MESSAGE_BYTES);
    const payloads = payloadsOf(event, encode);
    expect(payloads.length).toBeGreaterThan(2);
    for (const payload of payloads) expect(bytes(payload)).toBeLessThanOrEqual(MAX_BUS_MESSAGE_BYTES);
    // Every contact in exactly one part, in order; the rest of the event unchanged.
    expect(payloads.flatMap(recipientsOf)).toEqual(recipients);
    for (const payload of payloads) expect(decodeEnvelope(payload)?.event).toMatchObject({ userId: "popular" });
  });

  it("splits a conversation event by members, each part with the whole shared body", () => {
    const memberIds = Array.from({ length: 300 }, (_, i) => longId(i));
    const event: BusEvent = {
      type: "conversation",
      conversation: { id: "c", kind: "group", title: "t", memberIds, lastSeq: 0, updatedAt: 1 },
      members: memberIds.map((userId) => ({
        userId,
        readSeq: 0,
        unread: 0,
        lastMentionSeq: 0,
        settings: { pinned: false, muted: false },
      })),
    };
    const payloads = payloadsOf(event, encode, 40_000);
    expect(payloads.length).toBeGreaterThan(1);
    const parts = payloads.map((payload) => decodeEnvelope(payload)?.event);
    expect(parts.flatMap((part) => (part?.type === "conversation" ? part.members.map((m) => m.userId) : []))).toEqual(
      memberIds,
    );
    for (const part of parts) expect(part?.type === "conversation" && part.conversation.memberIds).toEqual(memberIds);
  });

  it("refuses an event it cannot split small enough, rather than sending it", () => {
    const event: BusEvent = { type: "typing", recipients: ["only"], conversationId: "c".repeat(2000), userId: "a" };
    expect(() => payloadsOf(event, encode, 1000)).toThrow(BusMessageTooLargeError);
  });

  it("fits the largest conversation event of a full group in one payload (the shape is bounded)", () => {
    const memberIds = Array.from({ length: Limits.MAX_GROUP_MEMBERS }, (_, i) => longId(i));
    const big = Number.MAX_SAFE_INTEGER;
    // Control characters are escaped as \u00XX: six bytes for each of the 4,000 code points.
    const text = "\u0001".repeat(Limits.MAX_TEXT_CODE_POINTS);
    const lastMessage = {
      id: longId(1),
      conversationId: longId(2),
      seq: big,
      senderId: longId(3),
      clientMsgId: longId(4),
      body: { kind: "text" as const, text },
      createdAt: big,
    };
    const event: BusEvent = {
      type: "conversation",
      conversation: {
        id: longId(5),
        kind: "group",
        title: "\u0001".repeat(Limits.MAX_TITLE_CODE_POINTS),
        memberIds,
        lastSeq: big,
        updatedAt: big,
        memberReadSeqs: memberIds.map((userId) => ({ userId, readSeq: big })),
        lastMessage,
      },
      members: memberIds.map((userId) => ({
        userId,
        readSeq: big,
        unread: big,
        lastMentionSeq: 0,
        settings: { pinned: false, muted: false },
      })),
    };
    const payloads = payloadsOf(event, encode);
    expect(payloads).toHaveLength(1);
    expect(bytes(payloads[0] ?? "")).toBeLessThan(MAX_BUS_MESSAGE_BYTES / 2);
  });
});

describe.skipIf(!REDIS_URL)(
  suiteTitle(
    "RedisBus publishes no message over 1 MiB (real Redis)",
    REDIS_URL ? undefined : "skipped: REDIS_URL not set; CI sets it",
  ),
  () => {
    const connections: Redis[] = [];
    const connect = () => {
      const redis = new Redis(REDIS_URL ?? "", { lazyConnect: true, maxRetriesPerRequest: 1 });
      connections.push(redis);
      return redis;
    };
    afterAll(async () => {
      await Promise.all(connections.map((redis) => redis.quit().catch(() => redis.disconnect())));
    });

    it("delivers a message for 40,000 recipients to another instance in parts of at most 1 MiB", async () => {
      const channel = `mpchat-test-${Math.random().toString(36).slice(2)}:events`;
      const log = { info: () => {}, warn: () => {}, error: () => {} };
      const [pubA, subA, pubB, subB, raw] = [connect(), connect(), connect(), connect(), connect()];
      await Promise.all([pubA, subA, pubB, subB, raw].map((redis) => redis.connect()));
      const sizes: number[] = [];
      let rawRecipients = 0;
      let rawDone = () => {};
      const rawHeardAll = new Promise<void>((resolve) => {
        rawDone = resolve;
      });
      raw.on("messageBuffer", (_channel: Buffer, payload: Buffer) => {
        sizes.push(payload.length);
        rawRecipients += recipientsOf(payload.toString()).length;
        if (rawRecipients >= 40_000) rawDone();
      });
      await raw.subscribe(channel);
      const a = new RedisBus({ publisher: pubA, subscriber: subA, channel, instanceId: "a", log });
      const b = new RedisBus({ publisher: pubB, subscriber: subB, channel, instanceId: "b", log });
      await Promise.all([a.start(), b.start()]);
      const heard: string[] = [];
      const done = new Promise<void>((resolve) => {
        b.subscribe((event) => {
          if (event.type === "message") heard.push(...event.recipients);
          if (heard.length >= recipients.length) resolve();
        });
      });
      const recipients = Array.from({ length: 40_000 }, (_, i) => longId(i));
      const message = {
        id: "m",
        conversationId: "c",
        seq: 1,
        senderId: "s",
        clientMsgId: "k",
        body: { kind: "text" as const, text: "hi" },
        createdAt: 1,
      };
      await a.publish({ type: "message", recipients, conversationId: "c", message });
      // The other instance and the raw subscriber each got every part (on their own connections).
      await Promise.all([done, rawHeardAll]);
      expect([...heard].sort()).toEqual([...recipients].sort());
      expect(sizes.length).toBeGreaterThan(2);
      for (const size of sizes) expect(size).toBeLessThanOrEqual(MAX_BUS_MESSAGE_BYTES);
      await Promise.all([a.close(), b.close()]);
    });
  },
);
