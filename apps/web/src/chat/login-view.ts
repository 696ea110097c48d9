import { el, replaceChildren } from "./dom";
import { devLogin, type Session } from "./session";
import { errorText, type Strings } from "./strings";

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The dev login form: a user id (and a name); the server says whether dev login is on. */
export function renderLogin(
  root: Element,
  t: Strings,
  onLogin: (session: Session) => void,
  onLanguage: () => void,
): void {
  const userId = el("input", {
    class: "field",
    name: "userId",
    placeholder: t.login.userId,
    maxlength: 64,
    autocomplete: "username",
    autofocus: true,
  });
  const name = el("input", { class: "field", name: "name", placeholder: t.login.name, maxlength: 32 });
  const error = el("div", { class: "error", role: "alert" });
  const submit = el("button", { class: "primary", type: "submit" }, t.login.submit);
  const form = el(
    "form",
    {
      class: "login-card",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const id = userId.value.trim();
        if (!USER_ID.test(id)) {
          error.textContent = t.login.invalidUserId;
          return;
        }
        submit.disabled = true;
        error.textContent = "";
        devLogin(id, name.value.trim() || undefined).then(onLogin, (failure: unknown) => {
          submit.disabled = false;
          const status = typeof failure === "object" && failure !== null && "status" in failure ? failure.status : 0;
          error.textContent = status === 404 ? t.login.disabled : `${t.login.failed}: ${errorText(t, failure)}`;
        });
      },
    },
    el("div", { class: "brand" }, t.appName),
    el("h1", {}, t.login.title),
    el("p", { class: "hint" }, t.login.hint),
    userId,
    name,
    submit,
    error,
    el("button", { class: "link language", type: "button", onclick: onLanguage }, t.language),
  );
  replaceChildren(root, el("main", { class: "login" }, form));
  userId.focus();
}
