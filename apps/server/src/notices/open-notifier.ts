import type { Registry } from "prom-client";
import type { Bus, BusEvent } from "../bus/bus";
import type { RedisPresenceTracker } from "../bus/redis-presence";
import type { Store } from "../store/store";
import type { WeChatCredentials } from "../wechat/wechat-credentials";
import type { NoticeConfig } from "./notice-config";
import { NoticeMetrics } from "./notice-metrics";
import { NO_EXTRA_MUTES, type NoticeMutes } from "./notice-mutes";
import { Notifier, type OnlineLookup } from "./notifier";

export interface NotifierParts {
  store: Store;
  credentials: WeChatCredentials | undefined;
  /** This instance's sockets (the gateway). */
  localOnline: (userId: string) => boolean;
  /** Every instance's, when REDIS_URL is set. */
  presence: RedisPresenceTracker | undefined;
  mutes: NoticeMutes | undefined;
  registry: Registry;
  now: () => number;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** The deployment's Notifier, or undefined when notices are off (no WECHAT_NOTICE_TEMPLATE_ID). */
export function openNotifier(config: NoticeConfig | undefined, parts: NotifierParts): Notifier | undefined {
  const { credentials, localOnline, presence } = parts;
  if (!config || !credentials) return undefined;
  const online: OnlineLookup = {
    onlineAmong: async (userIds) => {
      const here = new Set(userIds.filter(localOnline));
      if (!presence) return here;
      const elsewhere = await presence.onlineAmong(userIds.filter((id) => !here.has(id)));
      for (const id of elsewhere) here.add(id);
      return here;
    },
  };
  return new Notifier({
    store: parts.store,
    wechat: credentials,
    online,
    mutes: parts.mutes ?? NO_EXTRA_MUTES,
    config,
    metrics: new NoticeMetrics(parts.registry),
    now: parts.now,
    log: parts.log,
  });
}

/**
 * The bus as the chat rules publish on it, telling the notifier of each message
 * this instance stored once it is published: only the instance that stored a
 * message considers its notices (the others hear it on the bus too, and skip).
 */
export function tellingNotifier(bus: Bus, notifier: Notifier): Bus {
  return {
    publish: async (event: BusEvent) => {
      try {
        await bus.publish(event);
      } finally {
        // Stored is stored: a member offline gets the notice even when the bus failed the others.
        if (event.type === "message") notifier.messageStored(event.recipients, event.message);
      }
    },
    subscribe: (handler) => bus.subscribe(handler),
    ping: () => bus.ping(),
    close: () => bus.close(),
  };
}
