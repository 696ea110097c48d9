import { appServices } from "../../services/app-context";
import { PAGES } from "../../services/landing";
import { strings } from "../../strings";
import { avatarOf } from "../../view/avatar";
import { describeError } from "../../view/describe-error";

/**
 * The client's error code. Read by shape: the ChatError class lives in app.js's bundle, and a page
 * importing it would get a copy of its own that `instanceof` does not match.
 */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

/**
 * Opened from a share card (`/pages/invite/invite?code=…`): who invites to what (GET
 * /v1/invites/:code) and one tap to join (accept → the chat). Not logged in: the code is kept and
 * the login page brings the user back here. Unknown, expired or revoked: a clear message.
 */
Component({
  data: {
    t: strings.invite,
    code: "",
    /** "loading", "ready", "expired" or "failed". */
    phase: "loading",
    inviterName: "",
    face: { src: "", letter: "", color: "" },
    /** Empty for an invite to a direct chat. */
    groupTitle: "",
    memberCount: 0,
    memberText: "",
    own: false,
    joining: false,
    error: "",
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const code = decodeURIComponent(query.code ?? "");
      const services = appServices();
      if (!services.chat) {
        services.pendingInvite.save(code);
        wx.reLaunch({ url: PAGES.login });
        return;
      }
      this.setData({ code });
      this.load();
    },

    async load() {
      const chat = appServices().chat;
      if (!chat) return;
      try {
        const invite = await chat.invites.details(this.data.code);
        chat.people.learn(invite.inviter);
        this.setData({
          phase: "ready",
          inviterName: invite.inviter.name || invite.inviter.id,
          face: avatarOf(invite.inviter, chat.media),
          groupTitle: invite.conversation?.title ?? "",
          memberCount: invite.conversation?.memberCount ?? 0,
          memberText: strings.invite.members(invite.conversation?.memberCount ?? 0),
          own: invite.inviter.id === chat.user.id,
        });
      } catch (error) {
        const expired = errorCode(error) === "not_found" || errorCode(error) === "bad_request";
        this.setData({ phase: expired ? "expired" : "failed", error: describeError(error) });
      }
    },

    async onAccept() {
      const chat = appServices().chat;
      if (!chat || this.data.joining) return;
      this.setData({ joining: true, error: "" });
      try {
        const conversation = await chat.client.acceptInvite(this.data.code);
        this.setData({ joining: false });
        wx.redirectTo({ url: PAGES.chat(conversation.id) });
      } catch (error) {
        const expired = errorCode(error) === "not_found";
        this.setData({
          joining: false,
          phase: expired ? "expired" : "ready",
          error: expired ? "" : `${strings.invite.failed}：${describeError(error)}`,
        });
      }
    },

    onHome() {
      wx.reLaunch({ url: PAGES.conversations });
    },
  },
});
