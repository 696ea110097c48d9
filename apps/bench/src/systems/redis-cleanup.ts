import { connect } from "node:net";

/** One RESP command as an array of bulk strings. */
function resp(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

const DELETE_BY_PREFIX =
  "local n = 0 for _, k in ipairs(redis.call('keys', ARGV[1] .. '*')) do redis.call('del', k) n = n + 1 end return n";

/**
 * Deletes every key under `prefix` (a cluster run's REDIS_PREFIX: its counters
 * outlive the servers). Spoken in RESP over a plain socket: the bench has no
 * Redis client of its own. Best effort: a failure leaves a few keys behind.
 */
export function deleteRedisPrefix(redisUrl: string, prefix: string, timeoutMs = 3000): Promise<void> {
  const url = new URL(redisUrl);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname || "127.0.0.1", port: Number(url.port || 6379) });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    socket.once("connect", () => socket.write(resp(["EVAL", DELETE_BY_PREFIX, "0", prefix])));
    socket.once("data", done);
    socket.once("error", done);
  });
}
