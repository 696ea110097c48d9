/** The part of a net.Socket (the stream under a WebSocket) that batches writes. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** The TCP socket under a WebSocket, as the gateway writes whole frames to it. */
export interface FrameStream extends Corkable {
  write(chunk: Buffer): boolean;
}

function release(cork: TurnCork): void {
  cork.release();
}

/**
 * Holds a socket's writes back until the current turn of the event loop has
 * run (its callbacks and promise continuations), then lets them go together.
 * A group commit resolves hundreds of sends in one turn: each socket's ack and
 * pushes then leave in one write syscall instead of one per frame, which was
 * the largest cost of the send path. Nothing is reordered or delayed past the
 * turn: `process.nextTick` runs after the microtask queue has drained.
 */
export class TurnCork {
  private held = false;

  constructor(private readonly stream: Corkable) {}

  /** Call before each write. */
  hold(): void {
    if (this.held) return;
    this.held = true;
    this.stream.cork();
    process.nextTick(release, this);
  }

  release(): void {
    this.held = false;
    this.stream.uncork();
  }
}
