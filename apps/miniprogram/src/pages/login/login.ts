import type { AuthResponse } from "@mpchat/client";
import { appServices } from "../../services/app-context";
import { needsProfile, nextPage, PAGES } from "../../services/landing";
import { strings } from "../../strings";
import { describeLoginError, USER_ID_PATTERN } from "./login-errors";

/** Names offered for a quick dev login, so that two devices can be "alice" and "bob" in two taps. */
const QUICK_NAMES = ["alice", "bob", "carol", "dave"];

/**
 * Login page: WeChat login always; dev login (pick a name) only when the server offers it.
 * Written with Component() so that miniprogram-simulate can load it; page hooks live in methods.
 */
Component({
  data: {
    t: { ...strings.login, appName: strings.appName },
    /** True once the server answered that dev login exists. */
    devAvailable: false,
    quickNames: QUICK_NAMES,
    userId: "",
    name: "",
    /** Which login is running: "", "wechat" or "dev". */
    busy: "",
    error: "",
    /** Set when a login succeeded (the page is about to leave); tests read it. */
    loggedInAs: "",
  },

  methods: {
    onLoad() {
      const services = appServices();
      if (services.chat) {
        wx.reLaunch({ url: nextPage(services.pendingInvite) });
        return;
      }
      services.auth.devLoginAvailable().then(
        (available) => this.setData({ devAvailable: available }),
        // Unreachable server: WeChat login will say so when tried.
        () => this.setData({ devAvailable: false }),
      );
    },

    onPickName(event: WechatMiniprogram.BaseEvent) {
      this.setData({ userId: String(event.currentTarget.dataset.name ?? ""), error: "" });
    },

    onUserIdInput(event: WechatMiniprogram.Input) {
      this.setData({ userId: event.detail.value, error: "" });
    },

    onNameInput(event: WechatMiniprogram.Input) {
      this.setData({ name: event.detail.value });
    },

    async onDevLogin() {
      const userId = this.data.userId.trim();
      if (!USER_ID_PATTERN.test(userId)) {
        this.setData({ error: strings.login.invalidUserId });
        return;
      }
      const name = this.data.name.trim();
      await this.attempt("dev", () => appServices().auth.devLogin(userId, name === "" ? undefined : name));
    },

    async onWechatLogin() {
      await this.attempt("wechat", () => appServices().auth.wechatLogin());
    },

    async attempt(kind: "dev" | "wechat", login: () => Promise<AuthResponse>) {
      if (this.data.busy !== "") return;
      this.setData({ busy: kind, error: "" });
      try {
        const auth = await login();
        const services = appServices();
        // The media token (for avatar URLs) comes with the login answer once the server sends one.
        const { mediaToken } = auth as { mediaToken?: unknown };
        services.startSession({
          token: auth.token,
          user: auth.user,
          ...(typeof mediaToken === "string" ? { mediaToken } : {}),
        });
        this.setData({ busy: "", loggedInAs: auth.user.id });
        // A new WeChat user has no name yet: ask for one (and an avatar) first.
        wx.reLaunch({ url: needsProfile(auth.user) ? PAGES.profileSetup : nextPage(services.pendingInvite) });
      } catch (error) {
        console.warn("login failed", error);
        this.setData({ busy: "", error: describeLoginError(error) });
      }
    },
  },
});
