import { WECHAT_ID_PREFIX } from "../auth/login";
import {
  type ContentCheck,
  ContentCheckUnavailableError,
  type ContentKind,
  type ContentSubject,
  type ContentVerdict,
} from "../chat/content-check";
import type { WeChatCredentials } from "../wechat/wechat-credentials";
import { textPieces } from "./text-pieces";

/** msg_sec_check scenes (WECHAT.md): 1 profile, 2 comment, 3 forum. */
export const SCENE_OF: Readonly<Record<ContentKind, number>> = { name: 1, text: 2, title: 3, announcement: 3 };

const RANK: Readonly<Record<ContentVerdict, number>> = { pass: 0, review: 1, reject: 2 };

/**
 * WeChat's text check (`msg_sec_check` v2) with the author's openid and the
 * kind's scene. A text past 2,500 code points goes in overlapping pieces; the
 * worst verdict counts. Users without an openid (dev login) pass here: the word
 * list, which ContentGuard runs first, is all they get.
 */
export class WeChatContentCheck implements ContentCheck {
  readonly name = "wechat";

  constructor(private readonly credentials: WeChatCredentials) {}

  async check(subject: ContentSubject): Promise<ContentVerdict> {
    if (!subject.userId.startsWith(WECHAT_ID_PREFIX)) return "pass";
    const openid = subject.userId.slice(WECHAT_ID_PREFIX.length);
    const verdicts = await Promise.all(
      textPieces(subject.text).map((content) => this.checkPiece(openid, SCENE_OF[subject.kind], content)),
    );
    return verdicts.reduce((worst, verdict) => (RANK[verdict] > RANK[worst] ? verdict : worst), "pass");
  }

  private async checkPiece(openid: string, scene: number, content: string): Promise<ContentVerdict> {
    let answer: Record<string, unknown>;
    try {
      answer = await this.credentials.post("/wxa/msg_sec_check", { version: 2, openid, scene, content });
    } catch (error) {
      throw new ContentCheckUnavailableError(`msg_sec_check failed: ${(error as Error).message}`, { cause: error });
    }
    const result = answer.result;
    const suggest =
      typeof result === "object" && result !== null ? (result as { suggest?: unknown }).suggest : undefined;
    if (suggest === "pass") return "pass";
    if (suggest === "review") return "review";
    if (suggest === "risky") return "reject";
    throw new ContentCheckUnavailableError("msg_sec_check answered without result.suggest");
  }
}
