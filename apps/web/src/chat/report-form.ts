import type { Message } from "@mpchat/client";
import type { ChatContext } from "./context";
import { el, replaceChildren } from "./dom";
import { bodyPreview } from "./format";
import { errorText } from "./strings";

/**
 * "投诉" of a message, as the mini program has it: the reader picks a reason and the
 * client's `report` stores it for the operators' queue (the sender is the reported user).
 * Drawn into `slot` above the composer; `done` is told the line to show after.
 */
export function showReportForm(
  ctx: ChatContext,
  slot: HTMLElement,
  message: Message,
  done: (line: string) => void,
): void {
  const { t } = ctx;
  const reason = el(
    "select",
    { class: "field", name: "reportReason" },
    ...t.chat.reportReasons.map((text) => el("option", { value: text }, text)),
  );
  const submit = el("button", { class: "primary", type: "submit", name: "sendReport" }, t.chat.reportSubmit);
  const error = el("span", { class: "report-error", role: "alert" });
  const close = () => {
    slot.hidden = true;
    replaceChildren(slot);
  };
  const form = el(
    "form",
    {
      class: "report-form",
      onsubmit: (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        ctx.client
          .report({
            conversationId: message.conversationId,
            messageId: message.id,
            userId: message.senderId,
            reason: reason.value,
          })
          .then(
            () => {
              close();
              done(t.chat.reportSent);
            },
            (failure: unknown) => {
              submit.disabled = false;
              error.textContent = `${t.chat.reportFailed}: ${errorText(t, failure)}`;
            },
          );
      },
    },
    el(
      "div",
      { class: "report-title" },
      `${t.chat.reportTitle(ctx.nameOf(message.senderId))}: ${bodyPreview(t, message.body)}`,
    ),
    el(
      "div",
      { class: "report-line" },
      reason,
      submit,
      el("button", { class: "link", type: "button", onclick: close }, t.chat.reportCancel),
      error,
    ),
  );
  replaceChildren(slot, form);
  slot.hidden = false;
  reason.focus();
}
