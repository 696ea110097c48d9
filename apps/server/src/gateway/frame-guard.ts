import type { ClientFrameType } from "@mpchat/protocol";
import type { GatewayLimits } from "./limits";
import { TokenBucket } from "./token-bucket";

/**
 * The per-connection budgets of GatewayLimits: rates, flood patience, violations.
 * The patience buckets start full, so they are only made when first drawn on:
 * a well-behaved connection (nearly all of them) never pays for them.
 */
export class FrameGuard {
  private readonly frames: TokenBucket;
  private readonly sends: TokenBucket;
  private floodPatience: TokenBucket | undefined;
  private violationPatience: TokenBucket | undefined;

  constructor(private readonly limits: GatewayLimits) {
    this.frames = new TokenBucket(limits.frameBurst, limits.frameRatePerSecond);
    this.sends = new TokenBucket(limits.sendBurst, limits.sendRatePerSecond);
  }

  /** Whether a frame of this type (undefined when unreadable) may be handled now. */
  admit(type: ClientFrameType | undefined): boolean {
    if (!this.frames.take()) return false;
    return type !== "send" || this.sends.take();
  }

  /** How long until a frame of this type would be admitted, after `admit` refused it (the `retryAfterMs`). */
  retryAfterMs(type: ClientFrameType | undefined): number {
    const frames = this.frames.msUntilToken();
    return type === "send" ? Math.max(frames, this.sends.msUntilToken()) : frames;
  }

  /** Records a refused frame; false when the connection has flooded for too long. */
  tolerateFlood(): boolean {
    const { floodTolerance, floodForgivePerSecond } = this.limits;
    this.floodPatience ??= new TokenBucket(floodTolerance, floodForgivePerSecond);
    return this.floodPatience.take();
  }

  /** Records a protocol violation; false when there were too many. */
  tolerateViolation(): boolean {
    const { violationTolerance, violationForgivePerSecond } = this.limits;
    this.violationPatience ??= new TokenBucket(violationTolerance, violationForgivePerSecond);
    return this.violationPatience.take();
  }
}
