/** Within this many px of the end counts as "at the bottom". */
const BOTTOM_SLACK_PX = 120;

/**
 * Where the message list should scroll after a render: to the newest bubble while the reader is at
 * the bottom (so new messages stay in view), nowhere while they read further up, and back to the
 * bubble that was on top after older messages were put above it.
 */
export class ScrollFollower {
  private atBottom = true;
  private keepInView = "";

  constructor(private readonly viewportHeight: number) {}

  /** The element id for scroll-into-view after this render, or undefined to leave the position alone. */
  target(lastDomId: string | undefined): string | undefined {
    if (this.keepInView !== "") {
      const keep = this.keepInView;
      this.keepInView = "";
      return keep;
    }
    // Each new last bubble has a new id, so scroll-into-view fires again for it.
    return this.atBottom ? lastDomId : undefined;
  }

  /** The user sent something: show it, wherever they were. */
  follow(): void {
    this.atBottom = true;
  }

  /** Older messages are being put above `firstDomId`; keep that one where it is. */
  prepending(firstDomId: string): void {
    this.keepInView = firstDomId;
    this.atBottom = false;
  }

  prependFailed(): void {
    this.keepInView = "";
  }

  scrolled(scrollTop: number, scrollHeight: number): void {
    this.atBottom = scrollHeight - scrollTop - this.viewportHeight < BOTTOM_SLACK_PX;
  }

  reachedBottom(): void {
    this.atBottom = true;
  }
}
