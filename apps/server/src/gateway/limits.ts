import { Limits } from "@mpchat/protocol";

/**
 * Per-connection limits of the WebSocket gateway. The defaults below are the
 * server's documented behaviour (clients may rely on them); tests may lower them.
 */
export interface GatewayLimits {
  /** The first frame must be `auth` within this time, else close 4408 (a timeout; a bad token is 4401). */
  authTimeoutMs: number;
  /** Frames larger than this close the socket with 1009 (ws `maxPayload`). */
  maxFrameBytes: number;
  /** `send` frames: sustained rate per second and burst (token bucket). */
  sendRatePerSecond: number;
  sendBurst: number;
  /** Every frame after `auth` (any type): sustained rate per second and burst. */
  frameRatePerSecond: number;
  frameBurst: number;
  /**
   * Frames refused with `rate_limited` draw on a patience bucket of this size,
   * refilled at `floodForgivePerSecond`; when it is empty the socket closes 4429.
   */
  floodTolerance: number;
  floodForgivePerSecond: number;
  /**
   * Protocol violations (malformed frames, binary frames) draw on a bucket of
   * this size refilled at `violationForgivePerSecond`; when it is empty the
   * socket gets its `error` and then closes 4400.
   */
  violationTolerance: number;
  violationForgivePerSecond: number;
  /** A socket whose unsent output passes this many bytes is terminated. */
  maxBufferedBytes: number;
  /** Frames that may arrive while `auth` is being checked; more is a violation. */
  maxFramesWhileAuthenticating: number;
  /** A user's connection past this many (on every instance with Redis, see user-connection-limit.ts) closes the user's oldest with 4409 (replaced). */
  maxConnectionsPerUser: number;
  /** Sockets not yet authenticated per client address; past it a new one is closed 4429 right after the upgrade. */
  maxUnauthenticatedPerAddress: number;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  authTimeoutMs: Limits.AUTH_TIMEOUT_MS,
  maxFrameBytes: Limits.MAX_FRAME_BYTES,
  // 20 sends per second sustained; a burst of 60 lets a client flush an outbox
  // of 50 queued messages after a reconnect without being refused.
  sendRatePerSecond: 20,
  sendBurst: 60,
  // sync/read/typing/ping: generous, a reconnect syncs many conversations at once.
  frameRatePerSecond: 100,
  frameBurst: 200,
  // About 50 refused frames in a row (forgiving 5 per second) before 4429.
  floodTolerance: 50,
  floodForgivePerSecond: 5,
  // 10 violations (forgiving one every 6 s, i.e. 10 a minute); the 11th closes 4400.
  violationTolerance: 10,
  violationForgivePerSecond: 1 / 6,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxFramesWhileAuthenticating: 32,
  maxConnectionsPerUser: 10,
  maxUnauthenticatedPerAddress: 100,
};
