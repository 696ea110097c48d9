import type { AppInstanceData } from "./services/app-context";
import { createAppServices } from "./services/app-services";
import { strings } from "./strings";

/**
 * The app: one set of services and one ChatClient for every page. WeChat suspends the JS thread a
 * few seconds after the app goes to the background and may drop its socket, so the client is
 * suspended in onHide and resumed (reconnect + resync) in onShow.
 */
App<AppInstanceData>({
  // Replaced in onLaunch, which WeChat runs before any page.
  services: undefined as unknown as AppInstanceData["services"],

  onLaunch() {
    this.services = createAppServices(wx, {
      onSessionExpired: () => {
        wx.showToast({ title: strings.login.expired, icon: "none" });
        wx.reLaunch({ url: "/pages/login/login" });
      },
    });
  },

  onShow() {
    this.services.enterForeground();
  },

  onHide() {
    this.services.enterBackground();
  },
});
