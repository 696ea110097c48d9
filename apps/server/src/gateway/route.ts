import websocket from "@fastify/websocket";
import type { FastifyInstance } from "fastify";
import type { Gateway } from "./gateway";

export interface GatewayRouteOptions {
  gateway: Gateway;
  maxFrameBytes: number;
  /** Runs when the app closes, before the HTTP server stops: the gateway's drain. */
  onClose: () => Promise<void>;
}

/** GET /v1/ws: the WebSocket endpoint. Without an upgrade it answers 400. */
export async function registerGatewayRoute(app: FastifyInstance, options: GatewayRouteOptions): Promise<void> {
  await app.register(websocket, {
    // ws closes a socket that sends a bigger frame with 1009 before buffering it.
    options: { maxPayload: options.maxFrameBytes },
    // Replaces the plugin's default (close every client with 1000 at once): the
    // gateway first finishes the requests in flight, then closes with 1001.
    preClose: async function closeGateway(this: FastifyInstance) {
      await options.onClose();
      await new Promise<void>((resolve) => this.websocketServer.close(() => resolve()));
    },
  });
  app.route({
    method: "GET",
    url: "/v1/ws",
    handler: async (_request, reply) =>
      reply.code(400).send({ error: { code: "bad_request", message: "this endpoint needs a WebSocket upgrade" } }),
    wsHandler: (socket) => options.gateway.accept(socket),
  });
}
