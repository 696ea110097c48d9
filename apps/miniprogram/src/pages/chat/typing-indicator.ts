/**
 * "Someone is typing": shown when a typing event arrives, hidden after a few quiet seconds or when
 * that person's message arrives. Typing events are not stored, so nothing else clears it.
 */
export class TypingIndicator {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private userId = "";

  constructor(
    /** Shows who is typing; an empty id hides the indicator. */
    private readonly show: (userId: string) => void,
    private readonly shownMs = 5000,
  ) {}

  typing(userId: string): void {
    this.stop();
    this.userId = userId;
    this.show(userId);
    this.timer = setTimeout(() => this.hide(), this.shownMs);
  }

  /** A message arrived: if its sender was the one typing, they are done. */
  messageFrom(userId: string): void {
    if (userId === this.userId) this.hide();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private hide(): void {
    this.stop();
    if (this.userId === "") return;
    this.userId = "";
    this.show("");
  }
}
