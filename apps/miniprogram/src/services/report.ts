/**
 * "投诉" of a message. The report call itself (to the server, and on to WeChat's content
 * security) comes with the WeChat issue; until then the menu item is shown and this hook is
 * what it calls. Resolves once the report is taken.
 */
export interface ReportTarget {
  conversationId: string;
  messageId: string;
  senderId: string;
}

export type ReportHook = (target: ReportTarget) => Promise<void>;

let hook: ReportHook = async () => undefined;

export function reportMessage(target: ReportTarget): Promise<void> {
  return hook(target);
}

/** Where the WeChat issue plugs the real report in (and tests watch the calls). */
export function setReportHook(next: ReportHook): void {
  hook = next;
}
