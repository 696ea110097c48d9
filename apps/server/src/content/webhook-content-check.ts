import {
  type ContentCheck,
  ContentCheckUnavailableError,
  type ContentSubject,
  type ContentVerdict,
} from "../chat/content-check";

const VERDICTS: readonly string[] = ["pass", "review", "reject"];

/**
 * The operator's own moderation (CONTENT_CHECK=webhook): POSTs
 * `{ kind, text, userId, conversationId? }` to CONTENT_CHECK_WEBHOOK_URL and
 * reads `{ verdict: "pass" | "review" | "reject" }`. Any other answer, a
 * non-2xx status or no answer within the timeout: unavailable.
 */
export class WebhookContentCheck implements ContentCheck {
  readonly name = "webhook";

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async check(subject: ContentSubject): Promise<ContentVerdict> {
    const payload = {
      kind: subject.kind,
      text: subject.text,
      userId: subject.userId,
      ...(subject.conversationId === undefined ? {} : { conversationId: subject.conversationId }),
    };
    let answer: unknown;
    try {
      const response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) throw new ContentCheckUnavailableError(`the webhook answered HTTP ${response.status}`);
      answer = await response.json();
    } catch (error) {
      if (error instanceof ContentCheckUnavailableError) throw error;
      throw new ContentCheckUnavailableError(`the webhook failed: ${(error as Error).message}`, { cause: error });
    }
    const verdict =
      typeof answer === "object" && answer !== null ? (answer as { verdict?: unknown }).verdict : undefined;
    if (typeof verdict === "string" && VERDICTS.includes(verdict)) return verdict as ContentVerdict;
    throw new ContentCheckUnavailableError('the webhook answered without a verdict of "pass", "review" or "reject"');
  }
}
