import type { Page } from "playwright-core";

/** The web chat driven as a person would: by its visible fields and buttons. */
export class WebChatPage {
  constructor(readonly page: Page) {}

  async login(userId: string, name?: string): Promise<void> {
    await this.page.fill('input[name="userId"]', userId);
    if (name) await this.page.fill('input[name="name"]', name);
    await this.page.click('button[type="submit"]');
    await this.page.locator(".sidebar-header .me").waitFor();
    await this.page.locator('body[data-connection="online"]').waitFor();
  }

  async startDirect(peerId: string): Promise<void> {
    await this.page.fill('input[name="peerId"]', peerId);
    await this.page.click(".new-direct button");
    await this.page.locator(".chat-header h2").waitFor();
  }

  async createGroup(title: string, memberIds: string[]): Promise<void> {
    await this.page.click(".new-chat summary");
    await this.page.fill('input[name="groupTitle"]', title);
    await this.page.fill('input[name="groupMembers"]', memberIds.join(", "));
    await this.page.click(".new-group button");
    await this.page.locator(".chat-header h2", { hasText: title }).waitFor();
  }

  /** Opens the conversation whose row shows `title` (it appears when the first message or the list brings it). */
  async open(title: string): Promise<void> {
    await this.page.locator(".conversation", { hasText: title }).click();
    await this.page.locator(".chat-header h2", { hasText: title }).waitFor();
  }

  async send(text: string): Promise<void> {
    await this.page.fill('textarea[name="text"]', text);
    await this.page.press('textarea[name="text"]', "Enter");
  }

  /** The message rows (stored or still in the outbox) whose text is exactly `text`. */
  rows(text: string) {
    return this.page.locator(".row").filter({ has: this.page.locator(".text", { hasText: text }) });
  }

  /** Waits until `text` shows as a stored message (not pending, not failed). */
  async waitForStored(text: string): Promise<void> {
    await this.page
      .locator(".row[data-seq]")
      .filter({ has: this.page.locator(".text", { hasText: text }) })
      .waitFor();
  }

  async reply(toText: string, text: string): Promise<void> {
    const row = this.rows(toText).first();
    await row.hover();
    await row.locator("button", { hasText: /回复|Reply/ }).click();
    await this.page.locator(".reply-bar").waitFor();
    await this.send(text);
  }

  /** 投诉 on the message whose text is `text`: the reason picked from the list, then sent. */
  async report(text: string, reason: string): Promise<void> {
    const row = this.rows(text).first();
    await row.hover();
    await row.locator('button[name="report"]').click();
    await this.page.selectOption('select[name="reportReason"]', reason);
    await this.page.click('button[name="sendReport"]');
    await this.page.locator(".notice", { hasText: /已提交投诉|Reported/ }).waitFor();
  }

  /** A PNG drawn by the page's own canvas, picked in the file input as a person would pick a photo. */
  async sendDrawnImage(width: number, height: number): Promise<void> {
    const base64 = await this.page.evaluate(
      ([w, h]) => {
        const canvas = document.createElement("canvas");
        canvas.width = w;
        canvas.height = h;
        const g = canvas.getContext("2d");
        if (!g) throw new Error("no 2d canvas");
        const sky = g.createLinearGradient(0, 0, 0, h);
        sky.addColorStop(0, "#7ec8f5");
        sky.addColorStop(1, "#fde7b0");
        g.fillStyle = sky;
        g.fillRect(0, 0, w, h);
        g.fillStyle = "#f6a623";
        g.beginPath();
        g.arc(w * 0.72, h * 0.3, h * 0.12, 0, Math.PI * 2);
        g.fill();
        g.fillStyle = "#3f8f5a";
        g.beginPath();
        g.moveTo(0, h);
        g.lineTo(w * 0.3, h * 0.45);
        g.lineTo(w * 0.55, h * 0.8);
        g.lineTo(w * 0.75, h * 0.55);
        g.lineTo(w, h);
        g.closePath();
        g.fill();
        return canvas.toDataURL("image/png").split(",")[1] ?? "";
      },
      [width, height] as const,
    );
    await this.page.setInputFiles('input[name="image"]', {
      name: "mountains.png",
      mimeType: "image/png",
      buffer: Buffer.from(base64, "base64"),
    });
  }

  /** The outbox this page keeps in localStorage (the entries not acknowledged yet). */
  async storedOutbox(userId: string): Promise<{ clientMsgId: string; body: { text?: string } }[]> {
    return this.page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "[]"), `mpchat:outbox:${userId}`);
  }
}
