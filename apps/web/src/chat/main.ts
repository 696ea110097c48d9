import "./style.css";
import { startChat } from "./chat-app";
import { renderLogin } from "./login-view";
import { forgetSession, loadSession, type Session } from "./session";
import { chooseLanguage, currentLanguage, stringsFor } from "./strings";

/** The web chat: the dev login, then the chat. A language switch or a logout reloads the page. */
const root = document.getElementById("app");
if (!root) throw new Error("#app missing from index.html");

const t = stringsFor(currentLanguage());
document.documentElement.lang = t.lang === "zh" ? "zh-CN" : "en";

const switchLanguage = () => {
  chooseLanguage(t.lang === "zh" ? "en" : "zh");
  location.reload();
};
const logout = () => {
  forgetSession();
  location.hash = "";
  location.reload();
};
const start = (session: Session) => startChat(root, t, session, logout, switchLanguage);

const session = loadSession();
if (session) start(session);
else renderLogin(root, t, start, switchLanguage);
