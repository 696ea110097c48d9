/**
 * The socket port: the smallest thing ChatClient needs from a WebSocket.
 * Shaped after WeChat's SocketTask (no readyState, no way to remove a listener,
 * no ping API), so every adapter can implement it and the client never depends
 * on what only a browser socket offers.
 */

/** Why a socket closed, as the peer (or the runtime) reported it. */
export interface SocketCloseInfo {
  code: number;
  reason: string;
}

/**
 * Callbacks for one socket. Given once, when the socket is opened, because
 * SocketTask cannot remove listeners: the client ignores calls from a socket it
 * has abandoned instead.
 */
export interface SocketHandlers {
  onOpen(): void;
  /** One text frame. Binary frames are not part of the protocol; adapters drop them. */
  onMessage(text: string): void;
  /** Called at most once; after it no other handler is called. */
  onClose(info: SocketCloseInfo): void;
  /** Informational: a close follows (adapters make sure of it). */
  onError(message: string): void;
}

/** One open (or opening) socket. */
export interface TransportConnection {
  /** Queue a text frame. Must not throw when the socket is already closing. */
  send(text: string): void;
  /** Close with a code and a reason (at most 123 bytes). Safe to call twice. */
  close(code: number, reason: string): void;
}

/** Opens sockets. One adapter per runtime: `wxSocketTransport`, `webSocketTransport`. */
export interface Transport {
  open(url: string, handlers: SocketHandlers): TransportConnection;
}
