import type { Bus } from "./bus";
import type { PresenceEvent, PresenceTracker } from "./presence-tracker";
import { type PublishLogger, publishQuietly } from "./publish-quietly";

/** One instance: every local change is a global change. */
export class LocalPresenceTracker implements PresenceTracker {
  constructor(private readonly deps: { bus: Bus; log: PublishLogger }) {}

  connected(_userId: string, event: PresenceEvent): Promise<void> {
    return this.announce(event);
  }

  disconnected(_userId: string, event: PresenceEvent): Promise<void> {
    return this.announce(event);
  }

  private async announce(event: PresenceEvent): Promise<void> {
    if (event.recipients.length > 0) await publishQuietly(this.deps, event);
  }
}
