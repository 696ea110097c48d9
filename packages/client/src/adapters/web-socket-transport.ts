import type { SocketHandlers, Transport, TransportConnection } from "../ports/transport";

/** The standard WebSocket, as far as this adapter uses it (browser, or the `ws` package). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;

/** Transport over a standard WebSocket constructor: `webSocketTransport(WebSocket)`. */
export function webSocketTransport(WebSocketCtor: WebSocketConstructor): Transport {
  return {
    open(url: string, handlers: SocketHandlers): TransportConnection {
      let closed = false;
      const finish = (code: number, reason: string) => {
        if (closed) return;
        closed = true;
        socket.onopen = null;
        socket.onmessage = null;
        socket.onclose = null;
        socket.onerror = null;
        handlers.onClose({ code, reason });
      };
      const socket = new WebSocketCtor(url);
      socket.onopen = () => handlers.onOpen();
      socket.onmessage = (event) => {
        if (typeof event.data === "string") handlers.onMessage(event.data);
      };
      socket.onerror = (event) => handlers.onError(describe(event));
      socket.onclose = (event) => finish(event.code, event.reason);
      return {
        send(text) {
          if (!closed && socket.readyState === OPEN) socket.send(text);
        },
        close(code, reason) {
          if (closed) return;
          try {
            socket.close(code, reason);
          } catch {
            // Closing a socket that is still connecting throws in some runtimes; we are done with it anyway.
          }
          finish(code, reason);
        },
      };
    },
  };
}

function describe(event: unknown): string {
  if (typeof event === "object" && event !== null && "message" in event) return String(event.message);
  return "WebSocket error";
}
