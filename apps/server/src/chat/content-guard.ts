import { ErrorCode } from "@mpchat/protocol";
import { AppError } from "../app-error";
import type { ContentCheck, ContentCheckMetrics, ContentSubject, ContentVerdict } from "./content-check";

export interface ContentGuardOptions {
  /** CONTENT_WORDLIST: run first, alone enough to refuse. */
  wordList?: ContentCheck;
  /** CONTENT_CHECK's adapter (wechat, webhook); none when `off`. */
  remote?: ContentCheck;
  /** CONTENT_CHECK_REVIEW. */
  review: "allow" | "reject";
  /** CONTENT_CHECK_ON_ERROR. */
  onError: "retry" | "allow";
  /** CONTENT_CHECK_TIMEOUT_MS: a slower remote check counts as failed. */
  timeoutMs: number;
  metrics?: ContentCheckMetrics;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

class CheckTimeout extends Error {}

/**
 * The rules around the content checks, for everything user-written before it
 * is stored (chat text, group titles and announcements, names): the word list
 * first, then the remote check within the timeout. A `reject` is
 * `content_rejected` (final); a `review` is allowed and logged, or refused, as
 * configured; a check that fails or is too slow answers `unavailable` (the
 * client retries later, nothing is lost) or lets the text pass, as configured.
 * Checks of different requests run concurrently: nothing here queues.
 */
export class ContentGuard {
  constructor(private readonly options: ContentGuardOptions) {}

  /** Whether any check is configured (a guard with none passes everything at no cost). */
  get active(): boolean {
    return this.options.wordList !== undefined || this.options.remote !== undefined;
  }

  /** Resolves when `subject` may be stored; throws AppError `content_rejected` or `unavailable` otherwise. */
  async require(subject: ContentSubject): Promise<void> {
    const { wordList, remote, metrics } = this.options;
    if (wordList) {
      const verdict = await wordList.check(subject);
      metrics?.checked(wordList.name, subject.kind, verdict);
      if (verdict !== "pass") this.refuse(subject, wordList.name);
    }
    if (!remote) return;
    const started = performance.now();
    let verdict: ContentVerdict;
    try {
      verdict = await this.withinTimeout(remote.check(subject));
    } catch (error) {
      const outcome = error instanceof CheckTimeout ? "timeout" : "error";
      metrics?.checked(remote.name, subject.kind, outcome, (performance.now() - started) / 1000);
      this.failed(subject, remote.name, error);
      return;
    }
    metrics?.checked(remote.name, subject.kind, verdict, (performance.now() - started) / 1000);
    if (verdict === "reject") this.refuse(subject, remote.name);
    if (verdict === "review") {
      if (this.options.review === "reject") this.refuse(subject, remote.name);
      // Allowed, and said where the operator looks: who wrote what kind of text where (never the text).
      this.options.log.warn(
        {
          contentCheck: remote.name,
          kind: subject.kind,
          userId: subject.userId,
          conversationId: subject.conversationId,
        },
        "content check: review verdict, allowed (CONTENT_CHECK_REVIEW=allow)",
      );
    }
  }

  private refuse(subject: ContentSubject, check: string): never {
    throw new AppError(ErrorCode.ContentRejected, `the content check refused this ${subject.kind}`, {
      details: { contentCheck: check },
    });
  }

  private failed(subject: ContentSubject, check: string, error: unknown): void {
    const context = { contentCheck: check, kind: subject.kind, userId: subject.userId, err: error };
    if (this.options.onError === "allow") {
      this.options.log.warn(context, "content check failed; allowed (CONTENT_CHECK_ON_ERROR=allow)");
      return;
    }
    this.options.log.warn(context, "content check failed; the request is answered unavailable");
    throw new AppError(ErrorCode.Unavailable, "the content check is unavailable, retry later", { cause: error });
  }

  private withinTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CheckTimeout(`no verdict within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}

/** A guard that checks nothing (CONTENT_CHECK=off and no word list; tests of other parts). */
export const NO_CONTENT_CHECKS = new ContentGuard({
  review: "allow",
  onError: "retry",
  timeoutMs: 1,
  log: { info: () => {}, warn: () => {} },
});
