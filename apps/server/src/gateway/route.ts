import type { IncomingMessage, ServerResponse } from "node:http";
import websocket from "@fastify/websocket";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type WebSocket from "ws";
import { badRequest } from "../app-error";
import type { Gateway } from "./gateway";
import type { FrameStream } from "./turn-cork";

declare module "fastify" {
  interface FastifyInstance {
    /** The WebSocket side of this app (connection count, for tests and metrics). */
    gateway: Gateway;
  }
}

export interface GatewayRouteOptions {
  gateway: Gateway;
  maxFrameBytes: number;
  /** Runs when the app closes, before the HTTP server stops: the gateway's drain. */
  onClose: () => Promise<void>;
}

/**
 * A socket error: a peer's protocol error (oversized frame → 1009, invalid UTF-8
 * → 1007) is the peer's fault, already answered by ws with its close code: not
 * worth an error-level log line with a stack, which any client could otherwise
 * flood the log with.
 */
function onSocketError(log: FastifyBaseLogger, error: unknown, socket: WebSocket): void {
  const code = (error as { code?: unknown }).code;
  const peerFault = typeof code === "string" && code.startsWith("WS_ERR_");
  log[peerFault ? "debug" : "warn"]({ err: error }, "websocket error");
  socket.terminate();
}

/**
 * The TCP socket to write whole frames to, or undefined to let ws frame them.
 * Raw writes are only valid while no extension was negotiated: with
 * permessage-deflate (RSV1 set, payload compressed) the peer would read our
 * plain frames as corrupt, and ws's own compressed writes could interleave.
 */
export function rawStreamOf(socket: Pick<WebSocket, "extensions">, tcp: FrameStream): FrameStream | undefined {
  return socket.extensions === "" ? tcp : undefined;
}

/** GET /v1/ws: the WebSocket endpoint. Without an upgrade it answers 400. */
async function gatewayRoute(app: FastifyInstance, options: GatewayRouteOptions): Promise<void> {
  app.decorate("gateway", options.gateway);
  await app.register(websocket, {
    // ws closes a socket that sends a bigger frame with 1009 before buffering it.
    // No permessage-deflate: the gateway writes whole, uncompressed frames
    // straight to the TCP socket (WireFrame), which a compressed connection
    // could not read (see rawStreamOf).
    options: { maxPayload: options.maxFrameBytes, perMessageDeflate: false },
    errorHandler: (error, socket, request) => onSocketError(request.log, error, socket),
    // Replaces the plugin's default (close every client with 1000 at once): the
    // gateway first finishes the requests in flight, then closes with 1001.
    preClose: async function closeGateway(this: FastifyInstance) {
      await options.onClose();
      await new Promise<void>((resolve) => this.websocketServer.close(() => resolve()));
    },
  });
  // The plugin routes an upgrade with a ServerResponse it assigned the socket to; that
  // response (and through it the request, reply, headers and a child logger)
  // stays reachable from the socket for its whole life unless detached again.
  const upgradeResponses = new WeakMap<IncomingMessage, ServerResponse>();
  app.route({
    method: "GET",
    url: "/v1/ws",
    preHandler: (request, reply, done) => {
      if (request.ws) upgradeResponses.set(request.raw, reply.raw);
      done();
    },
    handler: async () => {
      throw badRequest("this endpoint needs a WebSocket upgrade");
    },
    wsHandler: (socket, request) => {
      // request.raw.socket is the TCP socket the upgrade was taken over on, the one under `socket`.
      const tcp = request.raw.socket;
      upgradeResponses.get(request.raw)?.detachSocket(tcp);
      upgradeResponses.delete(request.raw);
      // The plugin's own 'error' listener closes over the request and reply for as long
      // as the socket lives; this one holds only the app's logger.
      socket.removeAllListeners("error");
      socket.on("error", (error) => onSocketError(app.log, error, socket));
      // The gateway has its own heartbeat: the HTTP connection timeout must not cut a quiet socket.
      tcp.setTimeout(0);
      options.gateway.accept(socket, rawStreamOf(socket, tcp), request.ip);
    },
  });
}

/**
 * Not encapsulated: @fastify/websocket's server and its preClose are the root's,
 * so that closing the app drains the gateway before the HTTP server stops.
 */
export const gatewayPlugin = fp(gatewayRoute, {
  name: "mpchat-gateway",
  fastify: "5.x",
  // The 400 of a plain GET is an AppError, answered by the errors plugin.
  dependencies: ["mpchat-errors"],
});
