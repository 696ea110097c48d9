import {
  type ClientFrame,
  decodeServerFrame,
  encodeFrame,
  PROTOCOL_VERSION,
  type ReadyFrame,
  type ServerFrame,
} from "@mpchat/protocol";
import { ChatError } from "./errors";
import type { Timers } from "./ports/timers";
import type { SocketCloseInfo, Transport, TransportConnection } from "./ports/transport";
import { type AnswerOf, type AnswerType, RequestManager } from "./request-manager";

/** Close code the client uses when it gives up on a silent or stuck socket (4000-4999: application range). */
export const CLIENT_GAVE_UP = 4000;
/** Close code this client reports when the server refused the token in an `error` answer to `auth`. */
export const UNAUTHORIZED = 4401;

export interface ConnectionSettings {
  transport: Transport;
  url: string;
  token: string;
  timers: Timers;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
}

export interface ConnectionHooks {
  /** Authenticated: requests may be sent now. */
  onReady(ready: ReadyFrame): void;
  /** A frame that answers no request (message, receipt, typing, conversation, presence, or an error without id). */
  onPush(frame: ServerFrame): void;
  /** The socket is gone (called once). Every pending request has been rejected before this. */
  onClosed(info: SocketCloseInfo): void;
}

/** A client frame that can carry an id, without it (the request manager assigns one). */
type OutgoingRequest = ClientFrame extends infer F ? (F extends { id?: string } ? Omit<F, "id"> : never) : never;

/**
 * One socket from open to close: authenticates, keeps the link alive with
 * `ping` frames, correlates answers with requests. It never reconnects; the
 * ConnectionKeeper replaces it.
 *
 * Liveness: after `ready` a ping goes out every heartbeatMs (the server closes
 * a socket silent for 2 * heartbeatMs), and the socket is declared dead when
 * nothing at all, not even a pong, arrived for 2 * heartbeatMs.
 */
export class Connection {
  private readonly requests: RequestManager;
  private socket: TransportConnection | null = null;
  private closed = false;
  private isReady = false;
  private openTimer: unknown;
  private pingTimer: unknown;
  private silenceTimer: unknown;
  private heartbeatMs = 0;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly hooks: ConnectionHooks,
  ) {
    this.requests = new RequestManager(settings.timers, settings.requestTimeoutMs);
  }

  start(): void {
    const { timers } = this.settings;
    this.openTimer = timers.setTimeout(
      () => this.close(CLIENT_GAVE_UP, "open timeout"),
      this.settings.connectTimeoutMs,
    );
    this.socket = this.settings.transport.open(this.settings.url, {
      onOpen: () => this.handleOpen(),
      onMessage: (text) => this.handleText(text),
      onClose: (info) => this.handleClose(info),
      onError: () => {
        // A close follows (the transports promise it); nothing to do until then.
      },
    });
  }

  get ready(): boolean {
    return this.isReady && !this.closed;
  }

  /** Send a request and wait for its answer (rejects with a ChatError: server code, timeout, connection_lost). */
  request<T extends AnswerType>(frame: OutgoingRequest, expect: T): Promise<AnswerOf<T>> {
    if (this.closed || !this.socket) return Promise.reject(new ChatError("connection_lost", "socket closed"));
    const { id, answer } = this.requests.register(expect);
    this.socket.send(encodeFrame({ ...frame, id } as ClientFrame));
    return answer;
  }

  /** Send a frame that expects no answer. Dropped when the socket is closed. */
  post(frame: ClientFrame): void {
    if (!this.closed && this.socket) this.socket.send(encodeFrame(frame));
  }

  /** Check the link now (the app came back from the background): dead unless something arrives soon. */
  probe(): void {
    if (!this.ready) return;
    this.post({ type: "ping" });
    this.armSilenceTimer(Math.min(this.settings.requestTimeoutMs, 2 * this.heartbeatMs));
  }

  /** Close the socket; `onClosed` is called (once) with this code. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    const socket = this.socket;
    this.handleClose({ code, reason });
    // WebSocket close reasons are limited to 123 bytes.
    socket?.close(code, reason.slice(0, 40));
  }

  private handleOpen(): void {
    if (this.closed) return;
    this.settings.timers.clearTimeout(this.openTimer);
    // A server that does not serve this version closes with 4426 (the keeper stops: "unsupported_version").
    this.request({ type: "auth", token: this.settings.token, protocolVersion: PROTOCOL_VERSION }, "ready").then(
      (ready) => this.handleReady(ready),
      (error: ChatError) => {
        if (error.code === "unauthorized") this.close(UNAUTHORIZED, error.message);
        else this.close(CLIENT_GAVE_UP, `auth failed: ${error.code}`);
      },
    );
  }

  private handleReady(ready: ReadyFrame): void {
    if (this.closed) return;
    this.isReady = true;
    this.heartbeatMs = ready.heartbeatMs;
    this.schedulePing();
    this.armSilenceTimer(2 * this.heartbeatMs);
    this.hooks.onReady(ready);
  }

  private handleText(text: string): void {
    if (this.closed) return;
    if (this.isReady) this.armSilenceTimer(2 * this.heartbeatMs);
    const decoded = decodeServerFrame(text);
    // A frame we cannot read is the server's bug or a newer protocol: skip it, keep the link.
    if (!decoded.ok) return;
    if (!this.requests.settle(decoded.value)) this.hooks.onPush(decoded.value);
  }

  private handleClose(info: SocketCloseInfo): void {
    if (this.closed) return;
    this.closed = true;
    this.isReady = false;
    const { timers } = this.settings;
    timers.clearTimeout(this.openTimer);
    timers.clearTimeout(this.pingTimer);
    timers.clearTimeout(this.silenceTimer);
    this.requests.failAll(new ChatError("connection_lost", `socket closed (${info.code} ${info.reason})`));
    this.hooks.onClosed(info);
  }

  private schedulePing(): void {
    this.pingTimer = this.settings.timers.setTimeout(
      () => {
        if (this.closed) return;
        this.post({ type: "ping" });
        this.schedulePing();
      },
      Math.max(1, this.heartbeatMs),
    );
  }

  private armSilenceTimer(ms: number): void {
    const { timers } = this.settings;
    timers.clearTimeout(this.silenceTimer);
    this.silenceTimer = timers.setTimeout(() => this.close(CLIENT_GAVE_UP, "heartbeat timeout"), ms);
  }
}
