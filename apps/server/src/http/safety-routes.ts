import { BlockRequestSchema, ReportRequestSchema, UserIdSchema } from "@mpchat/protocol";
import type { FastifyInstance } from "fastify";
import * as v from "valibot";
import type { BlockService } from "../chat/blocks";
import type { ReportService } from "../chat/reports";
import { parseOrThrow } from "./parse";

export interface SafetyRoutesOptions {
  blocks: BlockService;
  reports: ReportService;
}

const ParamsSchema = v.object({ userId: UserIdSchema });

/** Blocks and reports (protocol 1.1, Safety). */
export async function safetyRoutes(app: FastifyInstance, options: SafetyRoutesOptions): Promise<void> {
  const { blocks, reports } = options;
  app.addHook("onRequest", app.authenticate);

  app.post("/v1/blocks", async (request, reply) => {
    const body = parseOrThrow(BlockRequestSchema, request.body);
    const { block, created } = await blocks.block(request.userId, body.userId);
    return reply.code(created ? 201 : 200).send({ block });
  });

  app.delete("/v1/blocks/:userId", async (request, reply) => {
    const { userId } = parseOrThrow(ParamsSchema, request.params);
    await blocks.unblock(request.userId, userId);
    return reply.code(204).send();
  });

  app.get("/v1/blocks", async (request) => ({ blocks: await blocks.list(request.userId) }));

  app.post("/v1/reports", async (request, reply) => {
    const body = parseOrThrow(ReportRequestSchema, request.body);
    const report = await reports.report(request.userId, body);
    return reply.code(201).send({ report: { id: report.id, createdAt: report.createdAt } });
  });
}
