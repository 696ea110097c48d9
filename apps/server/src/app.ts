import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { BanList } from "./auth/bans";
import { LoginService } from "./auth/login";
import { MediaTokens } from "./auth/media-tokens";
import { SessionCache } from "./auth/session-cache";
import { SessionService } from "./auth/sessions";
import { TokenService } from "./auth/tokens";
import { HttpWeChatApi, type WeChatApi } from "./auth/wechat-api";
import type { Bus } from "./bus/bus";
import { LocalBus } from "./bus/local";
import { openRedisSetup } from "./bus/redis-setup";
import { ContactsCache } from "./chat/contacts-cache";
import type { ContentGuard } from "./chat/content-guard";
import { ConversationService } from "./chat/conversations";
import type { ChatDeps } from "./chat/deps";
import { GroupService } from "./chat/groups";
import { newId } from "./chat/ids";
import { InviteService } from "./chat/invites";
import { MembershipCache } from "./chat/membership-cache";
import { MessageService } from "./chat/messages";
import { PresenceService } from "./chat/presence";
import { ProfileService } from "./chat/profiles";
import { RemovalLedger } from "./chat/removal-ledger";
import { SendAdmission } from "./chat/send-admission";
import type { Config } from "./config";
import { openContentGuard } from "./content/open-content-guard";
import { Dispatcher } from "./gateway/dispatch";
import { Gateway } from "./gateway/gateway";
import { frameworkErrors } from "./http/errors";
import { type LogDestination, loggerOptions, logTransport } from "./http/log-options";
import { registerRoutes } from "./http/register-routes";
import type { MediaCheck } from "./media/media-check-async";
import { MediaCollector } from "./media/media-collector";
import type { MediaStore } from "./media/media-store";
import { openMediaCheck } from "./media/open-media-check";
import { openMediaStore } from "./media/open-media-store";
import { AppMetrics } from "./metrics/app-metrics";
import { MeasuredBus } from "./metrics/instrument-bus";
import { measureAppends } from "./metrics/instrument-store";
import type { NoticeMutes } from "./notices/notice-mutes";
import type { Notifier } from "./notices/notifier";
import { openNotifier, tellingNotifier } from "./notices/open-notifier";
import { GroupCommitter } from "./store/group-commit";
import type { Store } from "./store/store";
import { openWeChatCredentials } from "./wechat/open-wechat-credentials";
import type { WeChatCredentials } from "./wechat/wechat-credentials";

/** The adapters, chosen by the caller (main.ts or a test). */
export interface AppDeps {
  /** Opened (and later closed) by the caller. */
  store: Store;
  /**
   * Default: the Redis bus and presence when REDIS_URL is set, else an in-process
   * bus; either is closed with the app. A given bus is closed by the caller.
   */
  bus?: Bus;
  /** Default: the HTTP client when WeChat credentials are configured, else none. */
  wechat?: WeChatApi;
  now?: () => number;
  logger?: FastifyBaseLogger;
  /** Default: opened from the config (MEDIA_STORE, DATA_DIR/media) and closed with the app. A given one is closed by the caller. */
  mediaStore?: MediaStore;
  /** Default: the word list and the adapter CONTENT_CHECK names (tests may give their own). */
  content?: ContentGuard;
  /** Who muted a conversation's notices. Default: nobody yet (HOOK until the member settings land, see notices/notice-mutes.ts). */
  noticeMutes?: NoticeMutes;
  /** Where the app's own logger writes (default stdout); ignored with `logger`. */
  logStream?: LogDestination;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The conversation rules. */
    conversations: ConversationService;
    /** The collector of unreferenced media (for tests: one run on demand). */
    mediaCollector: MediaCollector;
    /** The deployment's one access_token (undefined without WeChat credentials), for every server-side WeChat call. */
    wechatCredentials: WeChatCredentials | undefined;
    /** Offline notices (undefined when WECHAT_NOTICE_TEMPLATE_ID is unset); tests drain it. */
    notifier: Notifier | undefined;
    /** WeChat's media check of uploads (a no-op without it); tests wait for its trace_ids to be stored. */
    mediaCheck: MediaCheck;
  }
}

/** TRUST_PROXY and the HTTP timeouts (typed apart: a union inline confuses Fastify's overloads). */
function httpServerOptions(
  config: Config,
): Pick<FastifyServerOptions, "trustProxy" | "requestTimeout" | "connectionTimeout"> {
  const trust = config.trustProxy;
  return {
    // A hop count as Fastify does it (its types miss the number form): trust the nearest `n` proxies.
    trustProxy: typeof trust === "number" ? (_address: string, hop: number) => hop < trust : trust,
    requestTimeout: config.httpRequestTimeoutMs,
    connectionTimeout: config.httpConnectionTimeoutMs,
  };
}

/** The composition root: builds every part from the config and the adapters, and wires them. */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger
      ? { loggerInstance: deps.logger }
      : {
          logger: loggerOptions(
            config.logLevel,
            deps.logStream,
            logTransport(process.stdout.isTTY === true, config.nodeEnv),
          ),
        }),
    bodyLimit: config.httpBodyLimit,
    frameworkErrors,
    ...httpServerOptions(config),
  });
  const now = deps.now ?? Date.now;
  const metrics = new AppMetrics({ connections: (): number => gateway.connectionCount });
  const redis =
    deps.bus || !config.redisUrl
      ? undefined
      : await openRedisSetup({
          url: config.redisUrl,
          prefix: config.redisPrefix,
          presenceTtlMs: config.presenceTtlMs,
          connectTimeoutMs: config.dbTimeoutMs,
          contactsOf: (userId) => deps.store.contactsOf(userId),
          log: app.log,
        });
  const bus = new MeasuredBus(
    deps.bus ?? redis?.bus ?? new LocalBus((error) => app.log.error({ err: error }, "bus subscriber failed")),
    metrics,
  );
  const wechatCredentials = openWeChatCredentials({
    wechat: config.wechat,
    apiBase: config.wechatApiBase,
    timeoutMs: config.wechatTimeoutMs,
    redisPrefix: config.redisPrefix,
    redis: redis?.commands,
    registry: metrics.registry,
    now,
    log: app.log,
  });
  app.decorate("wechatCredentials", wechatCredentials);
  const content =
    deps.content ??
    (await openContentGuard(config.content, {
      credentials: wechatCredentials,
      registry: metrics.registry,
      log: app.log,
    }));
  const notifier = openNotifier(config.notices, {
    store: deps.store,
    credentials: wechatCredentials,
    localOnline: (userId) => gateway.hasConnection(userId),
    presence: redis?.presence,
    mutes: deps.noticeMutes,
    registry: metrics.registry,
    now,
    log: app.log,
  });
  app.decorate("notifier", notifier);
  const committer = new GroupCommitter(measureAppends(deps.store, metrics));
  const members = new MembershipCache(deps.store, now);
  const removals = new RemovalLedger(now);
  const chatDeps: ChatDeps = {
    store: deps.store,
    bus: notifier ? tellingNotifier(bus, notifier) : bus,
    appender: committer,
    members,
    removals,
    now,
    newId,
    log: app.log,
    content,
  };
  const mediaStore = deps.mediaStore ?? (await openMediaStore(config.media.store, config.dataDir));
  const mediaCollector = new MediaCollector({
    store: deps.store,
    mediaStore,
    now,
    log: app.log,
    intervalMs: config.media.gcIntervalMs,
  });
  const releaseMedia = async (mediaId: string) => void (await mediaCollector.releaseNow(mediaId));
  const admission = new SendAdmission(config.chatLimits.sendQueue, { registry: metrics.registry });
  const messages = new MessageService(chatDeps, config.chatLimits, releaseMedia, admission);
  const conversations = new ConversationService(chatDeps);
  const groups = new GroupService(chatDeps, conversations);
  const tokens = new TokenService(
    { current: config.tokenSecret, previous: config.tokenSecretPrevious },
    config.tokenTtlSeconds,
    now,
  );
  const profiles = new ProfileService(chatDeps);
  const invites = new InviteService(chatDeps, conversations, groups);
  const bans = new BanList(deps.store, now);
  const sessions = new SessionService({
    store: deps.store,
    bans,
    tokens,
    cache: new SessionCache(deps.store, now),
    mediaTokens: new MediaTokens({ current: config.tokenSecret, previous: config.tokenSecretPrevious }),
    bus,
    now,
    log: app.log,
  });
  const wechat =
    deps.wechat ??
    (config.wechat &&
      new HttpWeChatApi({ ...config.wechat, baseUrl: config.wechatApiBase, timeoutMs: config.wechatTimeoutMs }));
  const login = new LoginService(deps.store, sessions, wechat || undefined, content);
  const contacts = new ContactsCache((userId) => deps.store.contactsOf(userId), now);
  const presence = new PresenceService(chatDeps, redis?.presence, contacts);
  if (notifier) presence.onChange((userId) => notifier.presenceChanged(userId));
  const gateway = new Gateway({
    limits: config.gateway,
    heartbeatMs: config.heartbeatMs,
    recallWindowMs: messages.recallWindowMs,
    sessions,
    dispatcher: new Dispatcher(messages, now, app.log),
    presence,
    now,
    log: app.log,
    metrics,
    ...(redis ? { userConnections: redis.connections, publish: (event) => bus.publish(event) } : {}),
  });
  bus.subscribe((event) => members.hear(event));
  bus.subscribe((event) => removals.hear(event));
  bus.subscribe((event) => sessions.hear(event));
  bus.subscribe((event) => contacts.hear(event));
  // Pushes chosen before a removal that arrive after it reach nobody removed (RemovalLedger).
  bus.subscribe((event) => {
    const admitted = removals.admits(event);
    if (admitted) gateway.deliver(admitted);
  });
  app.decorate("conversations", conversations);

  const mediaCheck = openMediaCheck({
    config,
    credentials: wechatCredentials,
    secrets: { current: config.tokenSecret, previous: config.tokenSecretPrevious },
    store: deps.store,
    now,
    log: app.log,
  });
  await registerRoutes(app, {
    config,
    store: deps.store,
    bus,
    redis,
    chatDeps,
    metrics,
    gateway,
    committer,
    sessions,
    login,
    conversations,
    groups,
    messages,
    profiles,
    invites,
    mediaStore,
    mediaCollector,
    mediaCheck,
    now,
  });
  app.decorate("mediaCollector", mediaCollector);
  app.decorate("mediaCheck", mediaCheck.check);
  mediaCollector.start();

  app.addHook("onClose", async () => {
    await committer.drain();
    await messages.flush();
    await presence.drain();
    await notifier?.drain();
    await mediaCheck.check.settled();
    await mediaCollector.stop();
    if (!deps.mediaStore) await mediaStore.close();
    if (redis) await redis.close();
    else if (!deps.bus) await bus.close();
  });
  if (config.devLogin) {
    app.log.warn(
      "dev login is ON: anyone can log in as any user via POST /v1/auth/dev. " +
        "Configure WECHAT_APPID/WECHAT_SECRET (or DEV_LOGIN=off) for production.",
    );
  }
  return app;
}
