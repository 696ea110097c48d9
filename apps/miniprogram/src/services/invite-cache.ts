import type { Invite, InviteDetails, RestApi } from "@mpchat/client";

/** An invite is reused for share cards while it has at least this long left (codes live 7 days). */
const REUSE_MARGIN_MS = 24 * 60 * 60 * 1000;

/**
 * Invite codes for share cards. WeChat's onShareAppMessage must answer at once (or hand over a
 * `promise`, waited for at most 3 s), so pages call `prepare` when they show and `ready` when
 * the user shares. Multi-use codes: one per conversation (and one for "chat with me") is enough.
 */
export class InviteCache {
  private readonly codes = new Map<string, Invite>();
  private readonly pending = new Map<string, Promise<Invite>>();

  constructor(
    private readonly rest: Pick<RestApi, "createInvite" | "getInvite" | "acceptInvite">,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The code ready now for a conversation ("" = a direct chat with me), or undefined. */
  ready(conversationId = ""): Invite | undefined {
    const invite = this.codes.get(conversationId);
    return invite && invite.expiresAt - this.now() > REUSE_MARGIN_MS ? invite : undefined;
  }

  /** Creates the code if there is none fresh (one request at a time per conversation). */
  prepare(conversationId = ""): Promise<Invite> {
    const fresh = this.ready(conversationId);
    if (fresh) return Promise.resolve(fresh);
    const running = this.pending.get(conversationId);
    if (running) return running;
    const request = this.rest.createInvite(conversationId === "" ? undefined : conversationId).then(
      (invite) => {
        this.pending.delete(conversationId);
        this.codes.set(conversationId, invite);
        return invite;
      },
      (error: unknown) => {
        this.pending.delete(conversationId);
        throw error;
      },
    );
    this.pending.set(conversationId, request);
    return request;
  }

  details(code: string): Promise<InviteDetails> {
    return this.rest.getInvite(code);
  }
}
