/**
 * ProfileLimits.MAX_NAME_CODE_POINTS of the protocol, copied: importing the protocol into a page
 * bundles valibot into it (test/unit/view-models.test.ts checks the two agree).
 */
export const MAX_NAME_CODE_POINTS = 32;

/** What WeChat hands to the onNeedPrivacyAuthorization listener, to call once the user chose. */
export type PrivacyResolve = (result: { buttonId?: string; event: "agree" | "disagree" }) => void;

/**
 * Our own privacy popup (WeChat requires one since 2023-09): WeChat calls the listener before the
 * first privacy API (chooseAvatar), the page shows the popup, and the user's choice is handed back.
 * Declining keeps the app working: the avatar stays the letter tile.
 */
export class PrivacyGate {
  private resolve: PrivacyResolve | undefined;

  constructor(private readonly show: (shown: boolean) => void) {
    // Absent before base library 2.32.3: there is no guide to agree to, the API just works.
    wx.onNeedPrivacyAuthorization?.((resolve) => {
      this.resolve = resolve as unknown as PrivacyResolve;
      this.show(true);
    });
  }

  agree(buttonId: string): void {
    this.resolve?.({ buttonId, event: "agree" });
    this.resolve = undefined;
    this.show(false);
  }

  decline(): void {
    this.resolve?.({ event: "disagree" });
    this.resolve = undefined;
    this.show(false);
  }
}
