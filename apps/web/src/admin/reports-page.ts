import type { AdminReport, Message } from "@mpchat/protocol";
import { el, replaceChildren } from "../chat/dom";
import type { AdminApi } from "./api";
import { conversationLink } from "./conversation-page";
import type { AdminStrings } from "./strings";

/** What the reported message said (its copy in the report), or its kind when it is not text. */
function messageText(message: Message): string {
  return message.body.kind === "text" ? message.body.text : `[${message.body.kind}]`;
}

/** The reports queue: the open reports, newest first, each with the reported message and a resolve button. */
export function renderReports(root: Element, t: AdminStrings, api: AdminApi, onError: (error: unknown) => void): void {
  const load = () =>
    api.reports("open").then(({ reports }) => {
      replaceChildren(
        root,
        reports.length === 0
          ? el("p", { class: "muted" }, t.reports.empty)
          : el("div", { class: "reports" }, ...reports.map((report) => reportCard(t, api, report, load, onError))),
      );
    }, onError);
  load();
}

function reportCard(
  t: AdminStrings,
  api: AdminApi,
  report: AdminReport,
  reload: () => void,
  onError: (error: unknown) => void,
): HTMLElement {
  const note = el("input", { class: "field", name: "note", placeholder: t.reports.note, maxlength: 500 });
  const resolve = el("button", { class: "primary", type: "submit" }, t.reports.resolve);
  const form = el(
    "form",
    {
      class: "resolve",
      onsubmit: (event: Event) => {
        event.preventDefault();
        resolve.disabled = true;
        const text = note.value.trim();
        api.resolveReport(report.id, text === "" ? undefined : text).then(reload, (error: unknown) => {
          resolve.disabled = false;
          onError(error);
        });
      },
    },
    note,
    resolve,
  );
  const facts: [string, string | HTMLElement][] = [
    [t.reports.reporter, report.reporterId],
    [t.reports.conversation, conversationLink(report.conversationId)],
    ...(report.userId === undefined ? [] : [[t.reports.user, report.userId] as [string, string | HTMLElement]]),
    [t.reports.at, new Date(report.createdAt).toLocaleString()],
  ];
  return el(
    "article",
    { class: "report card", "data-report": report.id },
    el("p", { class: "report-reason" }, report.reason),
    el("dl", {}, ...facts.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)])),
    report.message
      ? el(
          "blockquote",
          { class: "report-message" },
          el("span", { class: "muted" }, `${report.message.senderId}: `),
          messageText(report.message),
        )
      : el("p", { class: "muted" }, t.reports.noMessage),
    form,
  );
}
