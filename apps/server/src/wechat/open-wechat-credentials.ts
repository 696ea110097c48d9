import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import { RedisTokenCoordinator } from "./token-coordinator";
import { WeChatCredentials } from "./wechat-credentials";
import { WeChatMetrics } from "./wechat-metrics";

export interface WeChatCredentialsParts {
  /** WECHAT_APPID and WECHAT_SECRET; none: no credentials. */
  wechat: { appId: string; secret: string } | undefined;
  /** WECHAT_API_BASE, WECHAT_TIMEOUT_MS, REDIS_PREFIX. */
  apiBase: string;
  timeoutMs: number;
  redisPrefix: string;
  /** The command connection of the Redis setup, when REDIS_URL is set: the token is shared through it. */
  redis: Redis | undefined;
  registry: Registry;
  now: () => number;
  log: { warn(obj: object, msg: string): void };
}

/** The deployment's WeChatCredentials, or undefined without WECHAT_APPID / WECHAT_SECRET. */
export function openWeChatCredentials(parts: WeChatCredentialsParts): WeChatCredentials | undefined {
  if (!parts.wechat) return undefined;
  const { redis, registry, now, log, timeoutMs } = parts;
  return new WeChatCredentials({
    ...parts.wechat,
    baseUrl: parts.apiBase,
    timeoutMs,
    now,
    metrics: new WeChatMetrics(registry),
    ...(redis
      ? {
          coordinator: new RedisTokenCoordinator({
            redis,
            prefix: parts.redisPrefix,
            now,
            // A refresher that died frees the lock after twice a call's timeout; the others wait as long.
            lockMs: 2 * timeoutMs,
            waitMs: 2 * timeoutMs,
            log,
          }),
        }
      : {}),
  });
}
