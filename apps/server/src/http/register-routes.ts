import type { FastifyInstance } from "fastify";
import { AdminConversations } from "../admin/conversations";
import { AdminUsers } from "../admin/users";
import type { LoginService } from "../auth/login";
import type { SessionService } from "../auth/sessions";
import type { Bus } from "../bus/bus";
import type { RedisSetup } from "../bus/redis-setup";
import { BlockService } from "../chat/blocks";
import type { ConversationService } from "../chat/conversations";
import type { ChatDeps } from "../chat/deps";
import type { GroupService } from "../chat/groups";
import type { InviteService } from "../chat/invites";
import { MediaVerdicts } from "../chat/media-verdicts";
import type { MessageService } from "../chat/messages";
import type { ProfileService } from "../chat/profiles";
import { ReportService } from "../chat/reports";
import type { Config } from "../config";
import type { Gateway } from "../gateway/gateway";
import { gatewayPlugin } from "../gateway/route";
import type { MediaCollector } from "../media/media-collector";
import type { MediaStore } from "../media/media-store";
import type { openMediaCheck } from "../media/open-media-check";
import type { AppMetrics } from "../metrics/app-metrics";
import { StatsSampler } from "../metrics/stats-sampler";
import { NoticeSubscriptions } from "../notices/notice-subscriptions";
import type { GroupCommitter } from "../store/group-commit";
import type { Store } from "../store/store";
import { MessagePush } from "../wechat/message-push";
import { adminRoutes } from "./admin-routes";
import { authRoutes } from "./auth-routes";
import { authPlugin } from "./authenticate";
import { conversationRoutes } from "./conversation-routes";
import { errorsPlugin } from "./errors";
import { groupRoutes } from "./group-routes";
import { healthRoutes } from "./health-routes";
import { inviteRoutes } from "./invite-routes";
import { mediaDownloadRoutes } from "./media-download-routes";
import { mediaUploadRoute } from "./media-upload-route";
import { metricsPlugin } from "./metrics-route";
import { noticeRoutes } from "./notice-routes";
import { profileRoutes } from "./profile-routes";
import { rateLimitsPlugin } from "./rate-limits";
import { safetyRoutes } from "./safety-routes";
import { userRoutes } from "./user-routes";
import { webPagesRoute } from "./web-pages-route";
import { wechatEventsRoute } from "./wechat-events-route";

/** The parts buildApp made that the HTTP side serves. */
export interface RoutedParts {
  config: Config;
  store: Store;
  bus: Bus;
  redis: RedisSetup | undefined;
  chatDeps: ChatDeps;
  metrics: AppMetrics;
  gateway: Gateway;
  committer: GroupCommitter;
  sessions: SessionService;
  login: LoginService;
  conversations: ConversationService;
  groups: GroupService;
  messages: MessageService;
  profiles: ProfileService;
  invites: InviteService;
  mediaStore: MediaStore;
  mediaCollector: MediaCollector;
  mediaCheck: ReturnType<typeof openMediaCheck>;
  now: () => number;
}

/**
 * Cross-cutting parts first (fastify-plugin, not encapsulated: their hooks,
 * handlers and decorators are the root's), then the routes, each its own plugin.
 */
export async function registerRoutes(app: FastifyInstance, parts: RoutedParts): Promise<void> {
  const { config, store, bus, redis, chatDeps, gateway, committer, sessions, messages, profiles, now } = parts;
  await app.register(errorsPlugin);
  await app.register(authPlugin, { sessions });
  await app.register(rateLimitsPlugin, {
    ...config.httpRateLimit,
    prefix: config.redisPrefix,
    ...(redis ? { redis: redis.commands } : {}),
  });
  await app.register(metricsPlugin, { metrics: parts.metrics });
  await app.register(gatewayPlugin, {
    gateway,
    maxFrameBytes: config.gateway.maxFrameBytes,
    // Requests already received are committed and acked (committer drained) before sockets close with 1001.
    onClose: () => gateway.shutdown(config.shutdownTimeoutMs / 2, () => committer.drain()),
  });
  await app.register(healthRoutes, { store, bus, timeoutMs: config.dbTimeoutMs });
  await app.register(authRoutes, { login: parts.login, sessions, devLogin: config.devLogin });
  await app.register(userRoutes, { store });
  if (config.adminToken) {
    await app.register(adminRoutes, {
      adminToken: config.adminToken,
      store,
      bus,
      users: new AdminUsers({ store, bus, now, log: app.log }),
      conversations: new AdminConversations(chatDeps, parts.conversations),
      messages,
      stats: new StatsSampler(parts.metrics.registry, now),
      now,
      timeoutMs: config.dbTimeoutMs,
    });
  }
  await app.register(conversationRoutes, { conversations: parts.conversations, groups: parts.groups, messages });
  await app.register(groupRoutes, { groups: parts.groups });
  await app.register(profileRoutes, { profiles });
  await app.register(inviteRoutes, { invites: parts.invites });
  await app.register(safetyRoutes, { blocks: new BlockService(chatDeps), reports: new ReportService(chatDeps) });
  await app.register(noticeRoutes, {
    subscriptions: new NoticeSubscriptions(store, config.notices?.templateId),
  });
  const { mediaStore, mediaCollector, mediaCheck } = parts;
  await app.register(mediaUploadRoute, { store, mediaStore, now, mediaCheck: mediaCheck.check });
  await app.register(mediaDownloadRoutes, {
    sessions,
    store,
    mediaStore,
    profiles,
    ...(mediaCheck.urls ? { checkUrls: mediaCheck.urls } : {}),
  });
  if (config.wechatPush && config.wechat) {
    const push = new MessagePush({ ...config.wechatPush, appId: config.wechat.appId, now });
    const verdicts = new MediaVerdicts({
      store,
      messages,
      profiles,
      releaseMedia: (mediaId) => mediaCollector.releaseNow(mediaId),
      log: app.log,
    });
    await app.register(wechatEventsRoute, { push, verdicts });
  }
  if (config.webChat || config.adminToken) {
    await app.register(webPagesRoute, { root: config.webDir, chat: config.webChat, admin: Boolean(config.adminToken) });
  }
}
