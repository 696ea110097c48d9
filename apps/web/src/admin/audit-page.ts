import { el, replaceChildren } from "../chat/dom";
import type { AdminApi } from "./api";
import type { AdminStrings } from "./strings";

/** The audit log: the newest 100 admin calls, newest first. */
export function renderAudit(root: Element, t: AdminStrings, api: AdminApi, onError: (error: unknown) => void): void {
  api.audit(100).then(({ entries }) => {
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
      entries.length === 0
        ? el("p", { class: "muted" }, t.audit.empty)
        : el("table", { class: "audit card" }, el("thead", {}, head), el("tbody", {}, ...rows)),
    );
  }, onError);
}
