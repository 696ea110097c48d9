import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import type { Config } from "../config";
import { RedisTokenCoordinator } from "./token-coordinator";
import { WeChatCredentials } from "./wechat-credentials";
import { WeChatMetrics } from "./wechat-metrics";

export interface WeChatCredentialsParts {
  /** The command connection of the Redis setup, when REDIS_URL is set: the token is shared through it. */
  redis: Redis | undefined;
  registry: Registry;
  now: () => number;
  log: { warn(obj: object, msg: string): void };
}

/** The deployment's WeChatCredentials, or undefined without WECHAT_APPID / WECHAT_SECRET. */
export function openWeChatCredentials(config: Config, parts: WeChatCredentialsParts): WeChatCredentials | undefined {
  if (!config.wechat) return undefined;
  const { redis, registry, now, log } = parts;
  return new WeChatCredentials({
    ...config.wechat,
    baseUrl: config.wechatApiBase,
    timeoutMs: config.wechatTimeoutMs,
    now,
    metrics: new WeChatMetrics(registry),
    ...(redis
      ? {
          coordinator: new RedisTokenCoordinator({
            redis,
            prefix: config.redisPrefix,
            now,
            // A refresher that died frees the lock after twice a call's timeout; the others wait as long.
            lockMs: 2 * config.wechatTimeoutMs,
            waitMs: 2 * config.wechatTimeoutMs,
            log,
          }),
        }
      : {}),
  });
}
