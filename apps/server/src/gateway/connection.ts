import {
  type AuthFrame,
  type ClientFrame,
  CloseCode,
  ErrorCode,
  type ParseResult,
  type ServerFrame,
} from "@mpchat/protocol";
import type WebSocket from "ws";
import type { RawData } from "ws";
import { checkToken } from "./check-token";
import type { ConnectionContext } from "./connection-context";
import { decodeRawFrame } from "./decode-raw-frame";
import { errorFrameFor } from "./error-frame";
import { FrameGuard } from "./frame-guard";
import { negotiateVersion, VERSION_NOT_SERVED_REASON } from "./protocol-version";
import type { Outlet } from "./registry";
import { SocketWriter } from "./socket-writer";
import type { FrameStream } from "./turn-cork";
import type { WireFrame } from "./wire-frame";

type State = "awaiting_auth" | "authenticating" | "open" | "closing";

// Shared settled promises: an idle connection keeps no promise of its own.
const NOT_AUTHENTICATED = Promise.resolve(false);
const AUTHENTICATED = Promise.resolve(true);

/**
 * One WebSocket: authentication, heartbeat, limits, and handing frames to the
 * dispatcher. It knows nothing of the chat rules.
 */
export class Connection implements Outlet {
  userId: string | undefined;
  /** The session of the token this socket (last) authenticated with: its logout closes the socket. */
  sessionId: string | undefined;
  /** That token's expiry (epoch ms, ctx.now): the socket closes with 4401 then, unless re-authed. */
  private tokenExpiresAt = Number.POSITIVE_INFINITY;
  private protocolVersion: number | undefined; // settled by the first `auth` (protocol-version.ts), kept by a re-`auth`
  private state: State = "awaiting_auth";
  private authDone: Promise<boolean> = NOT_AUTHENTICATED;
  private framesWhileAuthenticating = 0;
  /** Requests taken and not yet answered. */
  private inFlight = 0;
  /** The close to make once the requests in flight are answered. */
  private closeWhenIdle: { code: number; reason: string } | undefined;
  private socketClosed = false;
  private closeWaiters: Array<() => void> | undefined;
  private readonly guard: FrameGuard;
  private readonly writer: SocketWriter;
  private timer: NodeJS.Timeout;
  /** performance.now() of the last frame or ping (read when the heartbeat timer fires). */
  private lastActivity = 0;

  /** `stream`: the TCP socket under `socket`, when known (SocketWriter writes frames to it whole). */
  constructor(
    private readonly socket: WebSocket,
    private readonly ctx: ConnectionContext,
    stream?: FrameStream,
  ) {
    this.guard = new FrameGuard(ctx.limits);
    this.writer = new SocketWriter(socket, ctx, stream);
    this.timer = setTimeout(
      // A timeout, not a refusal (protocol 1.1): the client comes back with the same token.
      () => this.close(CloseCode.AuthTimeout, "authentication timeout"),
      ctx.limits.authTimeoutMs,
    );
    socket.on("message", (data, isBinary) => this.onMessage(data, isBinary));
    socket.on("ping", () => this.onActivity(performance.now()));
    socket.once("close", () => this.onClose());
  }

  /** Writes a serialized frame (SocketWriter: terminates a socket whose unsent output outgrew the bound). */
  write(frame: WireFrame): void {
    this.writer.write(frame, this.userId);
  }

  send(frame: ServerFrame): void {
    this.writer.send(frame, this.userId);
  }

  /**
   * Stops reading frames and closes once the requests already taken have been
   * answered: a message committed before the close still gets its ack.
   */
  close(code: number, reason: string): void {
    if (this.state === "closing") return;
    this.state = "closing";
    if (this.inFlight === 0) this.socket.close(code, reason);
    else this.closeWhenIdle = { code, reason };
  }

  /** Resolves once the socket has closed (for shutdown). Made on demand: idle connections hold no promise. */
  get closed(): Promise<void> {
    if (this.socketClosed) return Promise.resolve();
    return new Promise((resolve) => {
      this.closeWaiters ??= [];
      this.closeWaiters.push(resolve);
    });
  }

  /** True once a close was asked for or happened (it may still be finishing its requests). */
  get closing(): boolean {
    return this.state === "closing";
  }

  terminate(): void {
    this.socket.terminate();
  }

  /**
   * Activity only records the time: re-arming a timer on every frame cost more
   * than the frame's rate check. The heartbeat timer looks at it when it fires.
   */
  private onActivity(at: number): void {
    this.lastActivity = at;
  }

  /**
   * Two heartbeats without a frame or ping close the socket, and so does the token's expiry;
   * otherwise wait for the nearer. One timer for both: a later expiry only makes it fire early once.
   */
  private checkHeartbeat(): void {
    const untilExpiry = this.tokenExpiresAt - this.ctx.now();
    const window = 2 * this.ctx.heartbeatMs;
    const quiet = performance.now() - this.lastActivity;
    if (untilExpiry <= 0) this.close(CloseCode.Unauthorized, "token expired");
    else if (quiet >= window) this.close(CloseCode.HeartbeatTimeout, "heartbeat timeout");
    else this.timer = setTimeout(() => this.checkHeartbeat(), Math.ceil(Math.min(window - quiet, untilExpiry)));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.state === "closing") return;
    const receivedAt = performance.now();
    this.onActivity(receivedAt);
    const parsed = decodeRawFrame(data, isBinary);
    this.ctx.metrics.frameReceived(parsed.ok ? parsed.value.type : "invalid");
    if (this.state === "awaiting_auth") {
      this.startAuth(parsed);
    } else if (this.state === "authenticating") {
      // A client may pipeline frames right after `auth`: keep them, in order, until it is checked.
      if (++this.framesWhileAuthenticating > this.ctx.limits.maxFramesWhileAuthenticating) {
        this.close(CloseCode.ProtocolViolation, "too many frames before ready");
      } else {
        void this.authDone.then((ok) => ok && this.onFrame(parsed, receivedAt));
      }
    } else {
      this.onFrame(parsed, receivedAt);
    }
  }

  private startAuth(parsed: ParseResult<ClientFrame>): void {
    if (!parsed.ok || parsed.value.type !== "auth") {
      const refusal = parsed.ok ? { code: ErrorCode.Unauthorized, message: "authenticate first" } : parsed.error;
      this.send(errorFrameFor(refusal, parsed));
      this.close(CloseCode.Unauthorized, "the first frame must be auth");
      return;
    }
    this.protocolVersion = negotiateVersion(parsed.value);
    if (this.protocolVersion === undefined) {
      this.close(CloseCode.VersionNotServed, VERSION_NOT_SERVED_REASON);
      return;
    }
    this.state = "authenticating";
    this.authDone = this.authenticate(parsed.value);
  }

  private async authenticate(frame: AuthFrame): Promise<boolean> {
    const checked = await checkToken(this.ctx, frame.token);
    if (this.state !== "authenticating") return false;
    if (!checked.ok) {
      this.send({ type: "error", id: frame.id, code: checked.code, message: checked.message });
      this.close(checked.close, checked.reason);
      return false;
    }
    const userId = checked.claims.userId;
    this.userId = userId;
    ({ sessionId: this.sessionId, expiresAt: this.tokenExpiresAt } = checked.claims);
    this.state = "open";
    // Frames queued behind this check hold their own reference; the field need not keep it.
    this.authDone = AUTHENTICATED;
    clearTimeout(this.timer);
    this.lastActivity = performance.now();
    this.checkHeartbeat();
    // Registered before `ready`, so that no push after `ready` can be missed.
    this.ctx.onAuthenticated(this, userId);
    this.sendReady(frame.id);
    return true;
  }

  /**
   * A fresh `auth` on an open socket (protocol 1.1): a valid token of the same user moves the
   * socket's session and expiry and is answered by `ready` again. Another user's token is
   * `forbidden` and changes nothing; a refused token closes with 4401, as on the first `auth`.
   */
  private async reauthenticate(frame: AuthFrame): Promise<void> {
    const checked = await checkToken(this.ctx, frame.token);
    if (this.state !== "open") return;
    if (!checked.ok) {
      this.send({ type: "error", id: frame.id, code: checked.code, message: checked.message });
      this.close(checked.close, checked.reason);
    } else if (checked.claims.userId !== this.userId) {
      this.send({ type: "error", id: frame.id, code: ErrorCode.Forbidden, message: "the token is another user's" });
    } else {
      ({ sessionId: this.sessionId, expiresAt: this.tokenExpiresAt } = checked.claims);
      // The expiry may have moved earlier too: re-arm the one timer.
      clearTimeout(this.timer);
      this.checkHeartbeat();
      this.sendReady(frame.id);
    }
  }

  private sendReady(id: string): void {
    this.send({
      type: "ready",
      id,
      userId: this.userId as string,
      heartbeatMs: this.ctx.heartbeatMs,
      serverTime: this.ctx.now(),
      tokenExpiresAt: this.tokenExpiresAt,
      protocolVersion: this.protocolVersion,
      mediaToken: this.ctx.sessions.mediaToken(this.userId as string, this.sessionId as string),
      recallWindowMs: this.ctx.recallWindowMs,
    });
  }

  private onFrame(parsed: ParseResult<ClientFrame>, receivedAt: number): void {
    if (this.state !== "open" || !this.userId) return;
    if (this.ctx.isShuttingDown()) {
      // Not taken, so not committed: the client retries it (same clientMsgId) after reconnecting.
      this.send(errorFrameFor({ code: ErrorCode.Unavailable, message: "server is shutting down" }, parsed));
      return;
    }
    const type = parsed.ok ? parsed.value.type : undefined;
    if (!this.guard.admit(type)) {
      const refusal = { code: ErrorCode.RateLimited, message: "too many frames, slow down" };
      this.send(errorFrameFor(refusal, parsed, this.guard.retryAfterMs(type)));
      if (!this.guard.tolerateFlood()) this.close(CloseCode.Flooding, "flooding");
      return;
    }
    if (!parsed.ok) {
      this.send(errorFrameFor(parsed.error, parsed));
      if (parsed.error.code === ErrorCode.BadRequest && !this.guard.tolerateViolation()) {
        this.close(CloseCode.ProtocolViolation, "too many protocol violations");
      }
      return;
    }
    if (parsed.value.type === "auth") {
      void this.reauthenticate(parsed.value);
      return;
    }
    this.inFlight++;
    this.ctx.requestTaken();
    // One continuation per request (no promise kept per request): the answer, then the bookkeeping.
    void this.ctx.dispatcher.handle(this.userId, parsed.value).then(
      (answer) => this.answer(answer, receivedAt),
      // The dispatcher answers failures itself; this only keeps the bookkeeping right if it ever throws.
      (error: unknown) => {
        this.ctx.log.error({ err: error, userId: this.userId }, "dispatcher threw");
        this.answer(undefined, receivedAt);
      },
    );
  }

  private answer(answer: ServerFrame | undefined, receivedAt: number): void {
    try {
      if (!answer) return;
      this.send(answer);
      if (answer.type === "ack") this.ctx.metrics.ackWritten((performance.now() - receivedAt) / 1000);
    } finally {
      this.inFlight--;
      this.ctx.requestAnswered();
      if (this.inFlight === 0 && this.closeWhenIdle)
        this.socket.close(this.closeWhenIdle.code, this.closeWhenIdle.reason);
    }
  }

  private onClose(): void {
    clearTimeout(this.timer);
    this.state = "closing";
    this.socketClosed = true;
    this.ctx.onClosed(this, this.userId);
    for (const resolve of this.closeWaiters ?? []) resolve();
    this.closeWaiters = undefined;
  }
}
