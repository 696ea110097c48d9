import type { Redis } from "ioredis";
import type { Bus, BusEvent } from "./bus";
import { payloadsOf } from "./bus-payloads";
import type { RedisLogger } from "./redis-connection";

/** What travels on the Redis channel. `origin` is the publishing instance ("" when a Lua script published it). */
export interface BusEnvelope {
  v: 1;
  origin: string;
  event: BusEvent;
}

const EVENT_TYPES = new Set<string>([
  "message",
  "receipt",
  "typing",
  "conversation",
  "presence",
  "members_removed",
  "session_ended",
  "user_banned",
  "user_unbanned",
  "user",
  "connection_replaced",
]);

export function encodeEnvelope(origin: string, event: BusEvent): string {
  const envelope: BusEnvelope = { v: 1, origin, event };
  return JSON.stringify(envelope);
}

/** The envelopes of one event, each at most MAX_BUS_MESSAGE_BYTES (see payloadsOf). */
export function encodeEnvelopes(origin: string, event: BusEvent): string[] {
  return payloadsOf(event, (part) => encodeEnvelope(origin, part));
}

/** The envelope, or undefined when the payload is not one this version understands. */
export function decodeEnvelope(payload: string): BusEnvelope | undefined {
  try {
    const value = JSON.parse(payload) as Partial<BusEnvelope> | null;
    const event = value?.event as { type?: unknown } | undefined;
    if (value?.v !== 1 || typeof value.origin !== "string" || typeof event?.type !== "string") return undefined;
    return EVENT_TYPES.has(event.type) ? (value as BusEnvelope) : undefined;
  } catch {
    return undefined;
  }
}

export interface RedisBusOptions {
  /** Command connection (shared with presence); fails fast while disconnected. */
  publisher: Redis;
  /** A connection of its own: a subscribed Redis connection takes no other commands. */
  subscriber: Redis;
  channel: string;
  instanceId: string;
  log: RedisLogger;
}

/**
 * The bus across instances: one Redis pub/sub channel. An event is delivered to
 * this instance's handlers at once (its local sockets need no Redis) and
 * published once to the channel for the other instances, which skip their own.
 *
 * Pub/sub is at-most-once: while Redis is unreachable, pushes to other instances
 * are lost (publish rejects, the caller logs and counts it) but messages are not,
 * they are committed before publishing; clients recover them through `sync`.
 */
export class RedisBus implements Bus {
  private readonly handlers: Array<(event: BusEvent) => void> = [];
  private closed = false;

  constructor(private readonly options: RedisBusOptions) {
    options.subscriber.on("message", (channel: string, payload: string) => {
      if (channel === options.channel) this.onPayload(payload);
    });
  }

  /** Subscribes to the channel; resolves once Redis confirmed. */
  async start(): Promise<void> {
    await this.options.subscriber.subscribe(this.options.channel);
  }

  async publish(event: BusEvent): Promise<void> {
    if (this.closed) return;
    this.deliver(event);
    // No message on the channel passes 1 MiB: a big event goes out in parts, each for other recipients.
    const payloads = encodeEnvelopes(this.options.instanceId, event);
    await Promise.all(payloads.map((payload) => this.options.publisher.publish(this.options.channel, payload)));
  }

  subscribe(handler: (event: BusEvent) => void): void {
    this.handlers.push(handler);
  }

  /** Both connections must work: without the subscriber this instance misses every other instance's pushes. */
  async ping(): Promise<void> {
    const { subscriber, publisher } = this.options;
    if (subscriber.status !== "ready") throw new Error(`redis subscriber is ${subscriber.status}`);
    await publisher.ping();
  }

  /** Stops delivering; the connections belong to the caller (see redis-setup.ts). */
  async close(): Promise<void> {
    this.closed = true;
    this.handlers.length = 0;
  }

  private onPayload(payload: string): void {
    if (this.closed) return;
    const envelope = decodeEnvelope(payload);
    if (!envelope) {
      this.options.log.warn({ payload: payload.slice(0, 200) }, "bus payload ignored (not a v1 envelope)");
      return;
    }
    if (envelope.origin === this.options.instanceId) return;
    this.deliver(envelope.event);
  }

  private deliver(event: BusEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.options.log.error({ err: error, eventType: event.type }, "bus subscriber failed");
      }
    }
  }
}
