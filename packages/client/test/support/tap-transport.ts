import type { SocketCloseInfo, Transport } from "../../src/ports/transport";

/**
 * Wraps a real transport to watch and meddle: record outgoing frames, drop
 * chosen incoming ones, and "freeze" the app the way a backgrounded mini
 * program freezes: nothing in, nothing out, and a close the app asks for never
 * reaches the network, so the server is left with a silent socket.
 */
export class TapTransport implements Transport {
  readonly outgoing: string[] = [];
  /** Closes that really happened on the network, in order. */
  readonly networkCloses: SocketCloseInfo[] = [];
  frozen = false;
  dropIncoming: (text: string) => boolean = () => false;
  /** Frames the app sends that never reach the network (recorded in `outgoing` all the same). */
  dropOutgoing: (text: string) => boolean = () => false;
  /** Change a frame on its way in or out (e.g. to play a newer server or an older client). */
  rewriteIncoming: (text: string) => string = (text) => text;
  rewriteOutgoing: (text: string) => string = (text) => text;
  private closeWaiters: Array<(info: SocketCloseInfo) => void> = [];

  constructor(private readonly inner: Transport) {}

  open(url: string, handlers: Parameters<Transport["open"]>[1]) {
    const socket = this.inner.open(url, {
      onOpen: () => handlers.onOpen(),
      onMessage: (text) => {
        if (!this.frozen && !this.dropIncoming(text)) handlers.onMessage(this.rewriteIncoming(text));
      },
      onClose: (info) => {
        this.networkCloses.push(info);
        for (const resolve of this.closeWaiters.splice(0)) resolve(info);
        handlers.onClose(info);
      },
      onError: (message) => handlers.onError(message),
    });
    return {
      send: (text: string) => {
        if (this.frozen) return;
        const sent = this.rewriteOutgoing(text);
        this.outgoing.push(sent);
        if (!this.dropOutgoing(sent)) socket.send(sent);
      },
      close: (code: number, reason: string) => {
        if (!this.frozen) socket.close(code, reason);
      },
    };
  }

  /** The next close that happens on the network. */
  nextNetworkClose(): Promise<SocketCloseInfo> {
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  /** Outgoing frames of a type, parsed. */
  sent(type: string): Array<Record<string, unknown>> {
    return this.outgoing.map((text) => JSON.parse(text)).filter((frame) => frame.type === type);
  }
}
