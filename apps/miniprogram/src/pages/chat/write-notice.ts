import type { Conversation } from "@mpchat/client";
import { strings } from "../../strings";

/** Why the input bar is gone, or "" while the user may write; `until` is when that ends by itself. */
export interface WriteNotice {
  /** Left or removed, dissolved: the chat stays open, read-only, for good. */
  readOnly: string;
  /** Muted (everyone, or this user): the input comes back when the mute ends. */
  muted: string;
  /** When the mute ends by itself (epoch ms); 0 when it does not, or nobody is muted. */
  until: number;
}

/**
 * The server refuses a muted member's send; the page says so before they type
 * (WeChat shows 全员禁言中 in place of the input bar). The owner and admins are
 * never muted by a mute-all.
 */
export function writeNoticeOf(
  conversation: Conversation | undefined,
  me: string,
  removed: boolean,
  now: number,
): WriteNotice {
  const none = { readOnly: "", muted: "", until: 0 };
  if (removed) return { ...none, readOnly: strings.chat.removedNotice };
  if (!conversation) return none;
  if (conversation.dissolved) return { ...none, readOnly: strings.chat.dissolvedNotice };
  const manager = conversation.ownerId === me || (conversation.adminIds ?? []).includes(me);
  const allUntil = conversation.mutedAllUntil ?? 0;
  if (conversation.mutedAll && !manager && (allUntil === 0 || allUntil > now)) {
    return { ...none, muted: strings.chat.mutedNotice, until: allUntil };
  }
  const ownUntil = conversation.mutedUntil ?? 0;
  if (ownUntil > now) return { ...none, muted: strings.chat.selfMutedNotice, until: ownUntil };
  return none;
}

/** One timer for the end of a mute, so the input bar comes back when it ends (no push says so). */
export class MuteEndTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private at = 0;

  constructor(private readonly ended: () => void) {}

  /** Calls `ended` at `until` (epoch ms; 0: never), replacing an earlier time. */
  set(until: number, now: number): void {
    if (until === this.at) return;
    this.stop();
    this.at = until;
    // setTimeout's delay is a 32-bit int: a mute "for good" is not waited for.
    if (until > now && until - now < 2 ** 31 - 1) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.at = 0;
          this.ended();
        },
        until - now + 50,
      );
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.at = 0;
  }
}
