import type { Page } from "playwright-core";

/** The operators' console driven as an operator would: by its visible fields and buttons. */
export class AdminConsolePage {
  constructor(readonly page: Page) {}

  async login(token: string): Promise<void> {
    await this.page.fill('input[name="token"]', token);
    await this.page.click('button[type="submit"]');
    await this.page.locator(".admin-header").waitFor();
  }

  async go(page: "overview" | "reports" | "users" | "conversations" | "audit"): Promise<void> {
    await this.page.click(`.admin-header nav a[data-page="${page}"]`);
  }

  async lookUp(userId: string): Promise<void> {
    await this.go("users");
    await this.page.fill('input[name="userId"]', userId);
    await this.page.click('.lookup button[type="submit"]');
    await this.page.locator(".user-card h2", { hasText: userId }).waitFor();
  }

  /** Through the conversations page's lookup box. */
  async lookUpConversation(conversationId: string): Promise<void> {
    await this.go("conversations");
    await this.page.fill('input[name="conversationId"]', conversationId);
    await this.page.click('.lookup button[type="submit"]');
    await this.page.locator(`.conversation-card[data-conversation="${conversationId}"]`).waitFor();
  }

  /** Removes a member from the open conversation page: the reason, then two clicks (the second confirms). */
  async removeMember(userId: string, reason: string): Promise<void> {
    await this.page.fill('.conversation-card input[name="reason"]', reason);
    const remove = this.page.locator(`tr[data-member="${userId}"] button[name="remove"]`);
    await remove.click();
    await this.page.locator(`tr[data-member="${userId}"] button[data-confirm="true"]`).click();
    await this.page.locator(`tr[data-member="${userId}"]`).waitFor({ state: "detached" });
  }

  /** Dissolves the open conversation: the reason, 解散群…, then the confirm button. */
  async dissolve(reason: string): Promise<void> {
    await this.page.fill('.conversation-card input[name="reason"]', reason);
    await this.page.click('button[name="dissolve"]');
    await this.page.click('button[name="confirmDissolve"]');
    await this.page.locator('.conversation-card [data-dissolved="true"]').waitFor();
  }

  async ban(reason: string): Promise<void> {
    await this.page.fill('.ban-form input[name="reason"]', reason);
    await this.page.click('.ban-form button[name="ban"]');
    await this.page.locator('.ban-status[data-banned="true"]').waitFor();
  }

  /** Whether each chart's canvas has drawn pixels (not one uniform colour). */
  chartsDrawn(): Promise<boolean[]> {
    return this.page.$$eval(".chart canvas", (canvases) =>
      canvases.map((canvas) => {
        const c = canvas as HTMLCanvasElement;
        const context = c.getContext("2d");
        if (!context || c.width === 0 || c.height === 0) return false;
        const { data } = context.getImageData(0, 0, c.width, c.height);
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) return true;
        return false;
      }),
    );
  }
}
