import { el, replaceChildren } from "../chat/dom";
import type { AdminApi } from "./api";
import type { AdminStrings } from "./strings";

/**
 * The audit log: the newest 100 admin calls, newest first. Every call is in it; the
 * lookups, lists and the charts' stats (every 2 s) only when asked for, else they bury the actions.
 */
export function renderAudit(
  root: Element,
  t: AdminStrings,
  api: AdminApi,
  onError: (error: unknown) => void,
  withReads = false,
): void {
  const toggle = el(
    "label",
    { class: "muted audit-reads" },
    el("input", {
      type: "checkbox",
      name: "withReads",
      checked: withReads,
      onchange: () => renderAudit(root, t, api, onError, !withReads),
    }),
    ` ${t.audit.withReads}`,
  );
  api.audit(100, withReads).then(({ entries }) => {
    const head = el(
      "tr",
      {},
      ...[t.audit.at, t.audit.action, t.audit.target, t.audit.reason, t.audit.actor, t.audit.status].map((h) =>
        el("th", {}, h),
      ),
    );
    const rows = entries.map((entry) =>
      el(
        "tr",
        { class: entry.status >= 400 ? "refused" : "" },
        el("td", {}, new Date(entry.at).toLocaleString()),
        el("td", {}, el("code", {}, entry.action)),
        el("td", {}, entry.target ?? ""),
        el("td", {}, entry.reason ?? ""),
        el("td", {}, entry.actor),
        el("td", {}, String(entry.status)),
      ),
    );
    replaceChildren(
      root,
      toggle,
      entries.length === 0
        ? el("p", { class: "muted" }, t.audit.empty)
        : el("table", { class: "audit card" }, el("thead", {}, head), el("tbody", {}, ...rows)),
    );
  }, onError);
}
