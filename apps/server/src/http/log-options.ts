import type { FastifyRequest, FastifyServerOptions } from "fastify";
import type { LogLevel } from "../config";

/**
 * Paths pino replaces with "[Redacted]" in every log line: credentials in headers,
 * and any `token` (or secret-like) field up to three levels deep, wherever a log
 * call puts it. Fastify's request serializer logs no headers; these paths are for
 * the log calls that log headers or bodies themselves.
 */
export const REDACTED_PATHS: readonly string[] = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "headers.cookie",
  "authorization",
  ...[
    "token",
    "accessToken",
    "refreshToken",
    "mediaToken",
    "secret",
    "tokenSecret",
    "sessionKey",
    "session_key",
  ].flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

/** Query parameters that carry credentials (`t`: the media token of protocol 1.1). */
const SECRET_QUERY = /([?&](?:t|token|access_token)=)[^&#]*/gi;

/** The request URL as logged: credential query values replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, "$1[Redacted]");
}

/**
 * Fastify's own request serializer, with the URL's credentials replaced. An object a
 * log call passes as `req` itself is left as it is, to the redaction paths.
 */
function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  const given = request as unknown as Record<string, unknown>;
  if (typeof given.url !== "string" || !("raw" in given)) return given;
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket.remotePort,
  };
}

type LoggerOptions = Exclude<FastifyServerOptions["logger"], boolean | undefined>;

/** Where log lines go instead of stdout (tests capture them). */
export interface LogDestination {
  write(line: string): void;
}

/** The pino transport that turns JSON lines into coloured, one-line-per-event text. */
export interface PrettyTransport {
  target: "pino-pretty";
  options: { translateTime: string; ignore: string };
}

/**
 * pino-pretty for a person reading a terminal in development; JSON lines for
 * everything else: production, and any stdout that is a pipe or a file (log
 * collectors, tests and the bench read those lines as JSON).
 */
export function logTransport(isTTY: boolean, nodeEnv: string): PrettyTransport | undefined {
  if (!isTTY || nodeEnv === "production") return undefined;
  return { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } };
}

/**
 * The options of the app's pino logger: level, redaction, and a request serializer
 * without credentials. A `stream` wins over a transport; a silent logger starts no
 * transport (pino-pretty runs in a worker thread).
 */
export function loggerOptions(level: LogLevel, stream?: LogDestination, transport?: PrettyTransport): LoggerOptions {
  const pretty = !stream && level !== "silent" ? transport : undefined;
  return {
    level,
    redact: { paths: REDACTED_PATHS.slice() },
    serializers: {
      req: serializeRequest,
    },
    ...(stream ? { stream } : {}),
    ...(pretty ? { transport: pretty } : {}),
  };
}
