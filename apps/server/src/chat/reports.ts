import type { Message, ReportRequest } from "@mpchat/protocol";
import { badRequest, notFound } from "../app-error";
import type { ReportRecord } from "../store/safety-records";
import type { ChatDeps } from "./deps";
import { requireMember } from "./membership";

/**
 * Reports (protocol 1.1, Safety): a member of a conversation reports it, one
 * of its messages or one of its members to the operator. The reported message
 * is copied into the report as it is now, so that a later recall or removal
 * keeps the evidence.
 */
export class ReportService {
  constructor(private readonly deps: Pick<ChatDeps, "store" | "now" | "newId" | "log">) {}

  async report(reporterId: string, request: ReportRequest): Promise<ReportRecord> {
    const { store } = this.deps;
    const conversation = await requireMember(store, request.conversationId, reporterId);
    let message: Message | undefined;
    if (request.messageId !== undefined) {
      const found = await store.findMessage(request.messageId);
      if (!found || found.conversationId !== conversation.id) throw notFound("message not found in this conversation");
      message = found;
    }
    if (
      request.userId !== undefined &&
      !conversation.memberIds.includes(request.userId) &&
      message?.senderId !== request.userId
    ) {
      throw badRequest("userId: not a member of this conversation nor the reported message's sender");
    }
    const report: ReportRecord = {
      id: this.deps.newId(),
      reporterId,
      conversationId: conversation.id,
      reason: request.reason,
      status: "open",
      createdAt: this.deps.now(),
    };
    if (request.messageId !== undefined) report.messageId = request.messageId;
    if (request.userId !== undefined) report.userId = request.userId;
    if (message) report.message = message;
    await store.createReport(report);
    this.deps.log.warn(
      { reportId: report.id, conversationId: report.conversationId, reporterId },
      "report received (GET /v1/admin/reports lists them)",
    );
    return report;
  }
}
