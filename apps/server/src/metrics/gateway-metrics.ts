/**
 * What the WebSocket gateway reports while it works. The gateway depends on this
 * small interface, not on prom-client; AppMetrics implements it.
 */
export interface GatewayMetrics {
  /** A client frame arrived; `type` is "invalid" when it could not be parsed. */
  frameReceived(type: string): void;
  /** `count` frames of this type were written to sockets. */
  framesSent(type: string, count: number): void;
  /** An `error` frame with this code was sent. */
  errorSent(code: string): void;
  /** An `ack` was written, `seconds` after its `send` frame arrived. */
  ackWritten(seconds: number): void;
  /** A bus event was written to this instance's sockets, `seconds` after it reached the gateway. */
  pushed(eventType: string, seconds: number): void;
}

/** For a gateway built without metrics (unit tests). */
export const NO_GATEWAY_METRICS: GatewayMetrics = {
  frameReceived: () => {},
  framesSent: () => {},
  errorSent: () => {},
  ackWritten: () => {},
  pushed: () => {},
};
