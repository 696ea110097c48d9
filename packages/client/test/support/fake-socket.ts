import type { ClientFrame, ServerFrame } from "@mpchat/protocol";
import type { SocketCloseInfo, SocketHandlers, TransportConnection } from "../../src/ports/transport";
import type { FakeServer } from "./fake-server";

/** One socket of the fake server, seen from the server side. */
export class FakeSocket implements TransportConnection {
  state: "connecting" | "open" | "closed" = "connecting";
  userId: string | undefined;
  /** Frames the client sent, parsed. */
  readonly received: ClientFrame[] = [];
  /** Frames the server pushed on this socket (those its filter let through). */
  readonly pushed: ServerFrame[] = [];
  closedWith: SocketCloseInfo | undefined;
  /** When true the server reads nothing and answers nothing (a dead link that looks open). */
  silent = false;

  constructor(
    private readonly server: FakeServer,
    readonly url: string,
    private readonly handlers: SocketHandlers,
  ) {}

  accept(): void {
    if (this.state !== "connecting") return;
    this.state = "open";
    this.handlers.onOpen();
  }

  /** Server → client. */
  push(frame: ServerFrame): void {
    if (this.state !== "open" || this.silent) return;
    if (frame.type !== "ready" && !("id" in frame && frame.id !== undefined) && !this.server.pushFilter(this, frame)) {
      return;
    }
    this.pushed.push(frame);
    const text = JSON.stringify(frame);
    // Asynchronous like a real socket, in order (microtasks run first in, first out).
    void Promise.resolve().then(() => {
      if (this.state === "open") this.handlers.onMessage(text);
    });
  }

  /** Deliver raw text to the client (e.g. after the socket was abandoned, to test stale callbacks). */
  rawToClient(text: string): void {
    this.handlers.onMessage(text);
  }

  serverClose(code: number, reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.closedWith = { code, reason };
    void Promise.resolve().then(() => this.handlers.onClose({ code, reason }));
  }

  // TransportConnection: client → server.
  send(text: string): void {
    if (this.state !== "open" || this.silent) return;
    void Promise.resolve().then(() => {
      if (this.state === "open" && !this.silent) this.server.handleFrame(this, text);
    });
  }

  close(code: number, reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.closedWith = { code, reason };
    this.handlers.onClose({ code, reason });
  }

  sentOfType<T extends ClientFrame["type"]>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.received.filter((frame): frame is Extract<ClientFrame, { type: T }> => frame.type === type);
  }
}
