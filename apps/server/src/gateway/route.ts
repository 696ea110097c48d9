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
    // A peer's protocol error (oversized frame → 1009, invalid UTF-8 → 1007) is the
    // peer's fault, already answered by ws with its close code: not worth an error-level
    // log line with a stack, which any client could otherwise flood the log with.
    errorHandler: (error, socket, request) => {
      const code = (error as { code?: unknown }).code;
      const peerFault = typeof code === "string" && code.startsWith("WS_ERR_");
      request.log[peerFault ? "debug" : "warn"]({ err: error }, "websocket error");
      socket.terminate();
    },
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
    // request.raw.socket is the TCP socket the upgrade was taken over on, the one under `socket`.
    wsHandler: (socket, request) => options.gateway.accept(socket, request.raw.socket),
  });
}
