import type { ClientFrameType } from "@mpchat/protocol";
import type { GatewayLimits } from "./limits";
import { TokenBucket } from "./token-bucket";

/** The per-connection budgets of GatewayLimits: rates, flood patience, violations. */
export class FrameGuard {
  private readonly frames: TokenBucket;
  private readonly sends: TokenBucket;
  private readonly floodPatience: TokenBucket;
  private readonly violationPatience: TokenBucket;

  constructor(limits: GatewayLimits) {
    this.frames = new TokenBucket(limits.frameBurst, limits.frameRatePerSecond);
    this.sends = new TokenBucket(limits.sendBurst, limits.sendRatePerSecond);
    this.floodPatience = new TokenBucket(limits.floodTolerance, limits.floodForgivePerSecond);
    this.violationPatience = new TokenBucket(limits.violationTolerance, limits.violationForgivePerSecond);
  }

  /** Whether a frame of this type (undefined when unreadable) may be handled now. */
  admit(type: ClientFrameType | undefined): boolean {
    if (!this.frames.take()) return false;
    return type !== "send" || this.sends.take();
  }

  /** Records a refused frame; false when the connection has flooded for too long. */
  tolerateFlood(): boolean {
    return this.floodPatience.take();
  }

  /** Records a protocol violation; false when there were too many. */
  tolerateViolation(): boolean {
    return this.violationPatience.take();
  }
}
