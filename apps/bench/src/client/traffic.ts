import type { Histogram } from "hdr-histogram-js";
import { DeliveryTracker } from "../measure/delivery-tracker";
import { type LatencySummary, latencyHistogram, summarizeLatency } from "../measure/latency";
import { nowMicros } from "./clock";
import { formatMarker, type Marker } from "./marker";
import type { FrameSink, SystemClient } from "./system-client";

/** What one measured window saw. Latencies from the intended send time (open loop: no coordinated omission). */
export interface WindowStats {
  sent: number;
  acked: number;
  /** Pushes received by any member, the sender's own connection included (unique, duplicates excluded). */
  delivered: number;
  errors: Record<string, number>;
  /** Sends refused for overload (`unavailable` + retryAfterMs) and sent again (with retryRefused). */
  refusedRetried: number;
  /** send → ack at the sender. */
  ack: LatencySummary;
  /** send → `message` push at each member other than the sender. */
  push: LatencySummary;
  unexpectedCloses: number;
}

/** Correctness over a Traffic's whole life (checked after the final drain). */
export interface IntegrityStats {
  sent: number;
  lost: number;
  reordered: number;
  duplicates: number;
  refused: number;
  unexpectedCloses: number;
}

/** Room indexes × users fit comfortably in a double: message keys are streamKey · 2^22 + n. */
const N_SPACE = 4_194_304;

/**
 * The traffic engine shared by every scenario and every system: it numbers and
 * stamps each send, receives every ack and push from a SystemClient, and keeps
 * the histograms, the loss/reorder tracker and the counts of what is still due.
 */
export class Traffic implements FrameSink {
  private readonly lastN = new Map<number, number>();
  private readonly refused = new Map<number, Set<number>>();
  private readonly tracker: DeliveryTracker;
  private readonly remainingDeliveries: Map<number, number> | null;
  private quietWaiters: Array<() => void> = [];

  pendingAcks = 0;
  pendingDeliveries = 0;
  /** Called when a send's ack (or its refusal) arrives: closed-loop generators send the next one. */
  onSendSettled: ((sender: number, room: number) => void) | null = null;
  /**
   * Sends refused for overload (`unavailable` with a `retryAfterMs`) are sent again,
   * same clientMsgId, after that wait: nothing is lost, and the ack latency counts
   * from the first try. Off: a refusal settles the send (counted in errors).
   */
  retryRefused = false;
  /** Called when every member got a message (only with trackCompletion): fan-out windows. */
  onMessageDelivered: ((sender: number, room: number) => void) | null = null;

  private sent = 0;
  private acked = 0;
  private delivered = 0;
  private errors: Record<string, number> = {};
  private refusedRetried = 0;
  private unexpectedCloses = 0;
  private totalUnexpectedCloses = 0;
  private ackHistogram: Histogram = latencyHistogram();
  private pushHistogram: Histogram = latencyHistogram();

  constructor(
    readonly client: SystemClient,
    private readonly rooms: readonly (readonly number[])[],
    private readonly users: number,
    options: { trackCompletion?: boolean } = {},
  ) {
    this.tracker = new DeliveryTracker(users);
    this.remainingDeliveries = options.trackCompletion ? new Map() : null;
  }

  private streamKey(room: number, sender: number): number {
    return room * this.users + sender;
  }

  /** Sends one message; `intendedMicros` is when an open-loop schedule meant it to go. */
  send(sender: number, room: number, intendedMicros = nowMicros()): void {
    const key = this.streamKey(room, sender);
    const n = (this.lastN.get(key) ?? 0) + 1;
    this.lastN.set(key, n);
    const members = this.rooms[room]?.length ?? 0;
    this.sent++;
    this.pendingAcks++;
    this.pendingDeliveries += members;
    this.remainingDeliveries?.set(key * N_SPACE + n, members);
    this.client.send(sender, room, formatMarker(sender, room, n, intendedMicros));
  }

  onAck(_user: number, marker: Marker): void {
    this.acked++;
    this.pendingAcks--;
    this.ackHistogram.recordValue(Math.max(1, nowMicros() - marker.sentAtMicros));
    this.onSendSettled?.(marker.sender, marker.room);
    this.checkQuiet();
  }

  onPush(user: number, marker: Marker): void {
    const key = this.streamKey(marker.room, marker.sender);
    if (!this.tracker.record(user, key, marker.n)) return;
    this.delivered++;
    this.pendingDeliveries--;
    if (user !== marker.sender) this.pushHistogram.recordValue(Math.max(1, nowMicros() - marker.sentAtMicros));
    if (this.remainingDeliveries) {
      const messageKey = key * N_SPACE + marker.n;
      const remaining = (this.remainingDeliveries.get(messageKey) ?? 1) - 1;
      if (remaining > 0) this.remainingDeliveries.set(messageKey, remaining);
      else {
        this.remainingDeliveries.delete(messageKey);
        this.onMessageDelivered?.(marker.sender, marker.room);
      }
    }
    this.checkQuiet();
  }

  onError(_user: number, code: string, marker: Marker | null, retryAfterMs?: number): void {
    if (marker && this.retryRefused && code === "unavailable" && retryAfterMs !== undefined) {
      // Still due: the same send goes again (same clientMsgId), nothing settles.
      this.refusedRetried++;
      const { sender, room, n, sentAtMicros } = marker;
      setTimeout(() => this.client.send(sender, room, formatMarker(sender, room, n, sentAtMicros)), retryAfterMs);
      return;
    }
    this.errors[code] = (this.errors[code] ?? 0) + 1;
    if (!marker) return;
    // A refused send is never stored nor pushed: nothing more is due for it.
    const key = this.streamKey(marker.room, marker.sender);
    const refused = this.refused.get(key) ?? new Set<number>();
    this.refused.set(key, refused);
    refused.add(marker.n);
    this.pendingAcks--;
    this.pendingDeliveries -= this.rooms[marker.room]?.length ?? 0;
    this.onSendSettled?.(marker.sender, marker.room);
    if (this.remainingDeliveries?.delete(key * N_SPACE + marker.n))
      this.onMessageDelivered?.(marker.sender, marker.room);
    this.checkQuiet();
  }

  onUnexpectedClose(_user: number, _code: number): void {
    this.unexpectedCloses++;
    this.totalUnexpectedCloses++;
  }

  private checkQuiet(): void {
    if (this.pendingAcks > 0 || this.pendingDeliveries > 0 || this.quietWaiters.length === 0) return;
    const waiters = this.quietWaiters;
    this.quietWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves true once every send is acked and every push arrived, false after `timeoutMs`. */
  waitForQuiet(timeoutMs: number): Promise<boolean> {
    if (this.pendingAcks <= 0 && this.pendingDeliveries <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.quietWaiters = this.quietWaiters.filter((waiter) => waiter !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.quietWaiters.push(done);
    });
  }

  /** Starts a new measured window: counters and histograms from zero. */
  beginWindow(): void {
    this.sent = 0;
    this.acked = 0;
    this.delivered = 0;
    this.errors = {};
    this.refusedRetried = 0;
    this.unexpectedCloses = 0;
    this.ackHistogram = latencyHistogram();
    this.pushHistogram = latencyHistogram();
  }

  windowStats(): WindowStats {
    return {
      sent: this.sent,
      acked: this.acked,
      delivered: this.delivered,
      errors: { ...this.errors },
      refusedRetried: this.refusedRetried,
      ack: summarizeLatency(this.ackHistogram),
      push: summarizeLatency(this.pushHistogram),
      unexpectedCloses: this.unexpectedCloses,
    };
  }

  /** Loss and order over everything sent so far; call after waitForQuiet. */
  integrity(): IntegrityStats {
    let lost = 0;
    let sent = 0;
    let refusedCount = 0;
    for (const [key, sentInStream] of this.lastN) {
      const room = Math.floor(key / this.users);
      const refused = this.refused.get(key);
      sent += sentInStream;
      refusedCount += refused?.size ?? 0;
      for (const member of this.rooms[room] ?? [])
        lost += this.tracker.lostInStream(member, key, sentInStream, refused);
    }
    const { reordered, duplicates } = this.tracker.totals();
    return { sent, lost, reordered, duplicates, refused: refusedCount, unexpectedCloses: this.totalUnexpectedCloses };
  }
}
