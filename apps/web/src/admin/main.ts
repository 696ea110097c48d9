import "./style.css";
import { el, replaceChildren } from "../chat/dom";
import { chooseLanguage, currentLanguage } from "../chat/strings";
import { AdminApi, AdminApiError, forgetToken, savedToken, saveToken } from "./api";
import { renderAudit } from "./audit-page";
import { renderConversation } from "./conversation-page";
import { renderOverview } from "./overview";
import { renderReports } from "./reports-page";
import { adminStrings } from "./strings";
import { renderUsers } from "./users-page";

/** The operators' console at /admin/: the token login, then overview, reports, users, conversations and the audit log (hash routes). */
const root = document.getElementById("app");
if (!root) throw new Error("#app missing from admin/index.html");

const t = adminStrings(currentLanguage());
document.documentElement.lang = t.lang === "zh" ? "zh-CN" : "en";
document.title = t.title;

const switchLanguage = () => {
  chooseLanguage(t.lang === "zh" ? "en" : "zh");
  location.reload();
};
const logout = () => {
  forgetToken();
  location.hash = "";
  location.reload();
};

function renderLogin(app: Element): void {
  const token = el("input", {
    class: "field",
    type: "password",
    name: "token",
    placeholder: t.login.token,
    autocomplete: "current-password",
    autofocus: true,
  });
  const error = el("div", { class: "error", role: "alert" });
  const submit = el("button", { class: "primary", type: "submit" }, t.login.submit);
  const form = el(
    "form",
    {
      class: "login-card",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const value = token.value.trim();
        if (!value) return;
        submit.disabled = true;
        new AdminApi(value).stats().then(
          () => {
            saveToken(value);
            start(value);
          },
          (failure: unknown) => {
            submit.disabled = false;
            error.textContent =
              failure instanceof AdminApiError && failure.status === 401 ? t.login.wrong : t.login.failed;
          },
        );
      },
    },
    el("div", { class: "brand" }, t.title),
    el("h1", {}, t.login.title),
    el("p", { class: "hint" }, t.login.hint),
    token,
    submit,
    error,
    el("button", { class: "link", type: "button", onclick: switchLanguage }, t.language),
  );
  replaceChildren(app, el("div", { class: "login-page" }, form));
}

function start(token: string): void {
  const api = new AdminApi(token, logout);
  const main = el("main", { class: "admin-main" });
  const banner = el("div", { class: "error banner", role: "alert" });
  const pages = [
    ["overview", t.nav.overview],
    ["reports", t.nav.reports],
    ["users", t.nav.users],
    ["conversations", t.nav.conversations],
    ["audit", t.nav.audit],
  ] as const;
  const links = pages.map(([page, label]) => el("a", { href: `#${page}`, "data-page": page }, label));
  replaceChildren(
    root as Element,
    el(
      "div",
      { class: "admin-layout" },
      el(
        "header",
        { class: "admin-header" },
        el("span", { class: "brand" }, t.title),
        el("nav", {}, ...links),
        el("button", { class: "link", type: "button", onclick: switchLanguage }, t.language),
        el("button", { class: "link", type: "button", onclick: logout }, t.nav.logout),
      ),
      banner,
      main,
    ),
  );
  const onError = (error: unknown) => {
    banner.textContent = `${t.error}: ${error instanceof Error ? error.message : String(error)}`;
  };
  let stop: () => void = () => {};
  const route = () => {
    stop();
    stop = () => {};
    banner.textContent = "";
    const [page = "overview", arg] = location.hash.replace(/^#/, "").split("/");
    for (const link of links) link.classList.toggle("active", link.dataset.page === page);
    const id = arg === undefined ? undefined : decodeURIComponent(arg);
    if (page === "users") renderUsers(main, t, api, id);
    else if (page === "conversations") renderConversation(main, t, api, id);
    else if (page === "reports") renderReports(main, t, api, onError);
    else if (page === "audit") renderAudit(main, t, api, onError);
    else stop = renderOverview(main, t, api, onError);
  };
  window.addEventListener("hashchange", route);
  route();
}

const token = savedToken();
if (token) start(token);
else renderLogin(root);
