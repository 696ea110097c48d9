import type { FastifyInstance, FastifyReply } from "fastify";
import * as v from "valibot";
import type { MediaVerdicts } from "../chat/media-verdicts";
import { type MessagePush, type PushQuery, PushRefusedError } from "../wechat/message-push";
import { sendError } from "./errors";

export interface WeChatEventsRouteOptions {
  push: MessagePush;
  verdicts: MediaVerdicts;
}

const Text = v.optional(v.pipe(v.string(), v.maxLength(256)));
const QuerySchema = v.object({
  signature: Text,
  msg_signature: Text,
  timestamp: Text,
  nonce: Text,
  echostr: Text,
});

/** The part of a `wxa_media_check` event that is read (WECHAT.md); the rest is ignored. */
const MediaCheckEventSchema = v.object({
  Event: v.literal("wxa_media_check"),
  trace_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  result: v.object({ suggest: v.string() }),
});

/**
 * The mini program's message push URL (WeChat admin console, 开发 → 开发管理 →
 * 消息推送), in JSON: `GET /v1/wechat/events` is WeChat's URL verification
 * (answers `echostr` when signed), `POST` the events, plain or encrypted (safe and
 * compatible modes). A push that is not WeChat's (signature, msg_signature,
 * timestamp more than 5 minutes off, a body for another appid or not decrypting):
 * 401, nothing done. Every accepted event is answered `success`; events other
 * than `wxa_media_check` are ignored.
 */
export async function wechatEventsRoute(app: FastifyInstance, options: WeChatEventsRouteOptions): Promise<void> {
  const { push, verdicts } = options;

  app.get("/v1/wechat/events", async (request, reply) => {
    const query = parseQuery(request.query);
    if (!query) return refuse(reply);
    try {
      push.verifyPlain(query);
    } catch (error) {
      return refused(error, reply, request.log);
    }
    return reply.type("text/plain").send(query.echostr ?? "");
  });

  app.post("/v1/wechat/events", async (request, reply) => {
    const query = parseQuery(request.query);
    if (!query) return refuse(reply);
    let event: Record<string, unknown>;
    try {
      event = push.open(query, request.body);
    } catch (error) {
      return refused(error, reply, request.log);
    }
    const check = v.safeParse(MediaCheckEventSchema, event);
    if (check.success) {
      await verdicts.settle({ traceId: check.output.trace_id, suggest: check.output.result.suggest });
    }
    return reply.type("text/plain").send("success");
  });
}

function parseQuery(raw: unknown): (PushQuery & { echostr?: string | undefined }) | undefined {
  const parsed = v.safeParse(QuerySchema, raw);
  return parsed.success ? parsed.output : undefined;
}

function refuse(reply: FastifyReply): FastifyReply {
  return sendError(reply, "unauthorized", "not a signed WeChat push");
}

function refused(error: unknown, reply: FastifyReply, log: { warn(obj: object, msg: string): void }): FastifyReply {
  if (!(error instanceof PushRefusedError)) throw error;
  log.warn({ reason: error.message }, "a WeChat push was refused");
  return refuse(reply);
}
