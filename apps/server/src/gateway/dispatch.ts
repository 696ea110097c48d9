import { assertNever, type ClientFrame, type ServerFrame } from "@mpchat/protocol";
import { badRequest } from "../app-error";
import type { ChatLogger } from "../chat/deps";
import { describeFailure } from "../chat/errors";
import type { MessageService } from "../chat/messages";

/**
 * Turns an authenticated client frame into a call of the chat rules and the
 * answer frame. Never throws: failures become `error` frames with the request id.
 */
export class Dispatcher {
  constructor(
    private readonly messages: MessageService,
    private readonly now: () => number,
    private readonly log: ChatLogger,
  ) {}

  async handle(userId: string, frame: ClientFrame): Promise<ServerFrame | undefined> {
    try {
      return await this.route(userId, frame);
    } catch (error) {
      const failure = describeFailure(error);
      if (!failure.expected) this.log.error({ err: error, frameType: frame.type, userId }, "frame failed");
      const answer: ServerFrame = { type: "error", code: failure.code, message: failure.message };
      if ("id" in frame && frame.id !== undefined) answer.id = frame.id;
      if (failure.retryAfterMs !== undefined) answer.retryAfterMs = failure.retryAfterMs;
      return answer;
    }
  }

  private async route(userId: string, frame: ClientFrame): Promise<ServerFrame | undefined> {
    switch (frame.type) {
      case "auth":
        throw badRequest("already authenticated");
      case "send": {
        const { message } = await this.messages.send(userId, frame);
        return {
          type: "ack",
          id: frame.id,
          conversationId: message.conversationId,
          clientMsgId: message.clientMsgId,
          messageId: message.id,
          seq: message.seq,
          createdAt: message.createdAt,
        };
      }
      case "sync": {
        const page = await this.messages.sync(userId, frame.conversationId, frame.afterSeq, frame.limit);
        return { type: "batch", id: frame.id, conversationId: frame.conversationId, ...page };
      }
      case "read": {
        await this.messages.read(userId, frame.conversationId, frame.seq);
        return frame.id === undefined ? undefined : { type: "ok", id: frame.id };
      }
      case "typing":
        await this.messages.typing(userId, frame.conversationId);
        return undefined;
      case "ping":
        return frame.id === undefined
          ? { type: "pong", serverTime: this.now() }
          : { type: "pong", id: frame.id, serverTime: this.now() };
      default:
        return assertNever(frame, "client frame type");
    }
  }
}
