import * as v from "valibot";

/** Limits of offline notices (protocol 1.1, Offline notices). */
export const NoticeLimits = {
  /** Most one-time acceptances one report may add (a request asks for ≤ 3 templates; a client may batch a few). */
  MAX_ACCEPTED_PER_REPORT: 100,
  /** Longest template id (WeChat's are 43 characters). */
  MAX_TEMPLATE_ID_LENGTH: 64,
} as const;

/** A subscribe-message template id as WeChat issues it: letters, digits, `-` and `_`. */
export const NoticeTemplateIdSchema = v.pipe(
  v.string("templateId must be a string"),
  v.regex(
    new RegExp(`^[A-Za-z0-9_-]{1,${NoticeLimits.MAX_TEMPLATE_ID_LENGTH}}$`),
    `templateId must be 1 to ${NoticeLimits.MAX_TEMPLATE_ID_LENGTH} of A-Z a-z 0-9 _ -`,
  ),
);

/** `POST /v1/notifications/subscriptions`: how many one-time acceptances `wx.requestSubscribeMessage` gave. */
export const NoticeSubscriptionRequestSchema = v.object({
  templateId: NoticeTemplateIdSchema,
  accepted: v.pipe(
    v.number("accepted must be a number"),
    v.integer("accepted must be an integer"),
    v.minValue(0, "accepted must be at least 0"),
    v.maxValue(
      NoticeLimits.MAX_ACCEPTED_PER_REPORT,
      `accepted must be at most ${NoticeLimits.MAX_ACCEPTED_PER_REPORT}`,
    ),
  ),
});

export const NoticeSubscriptionSchema = v.object({
  templateId: v.string(),
  credits: v.number(),
});

export const NoticeSubscriptionResponseSchema = v.object({ subscription: NoticeSubscriptionSchema });
/** `GET /v1/notifications/subscriptions`: the server's notice templates, each with the caller's credits (0 when none). */
export const NoticeSubscriptionsResponseSchema = v.object({ subscriptions: v.array(NoticeSubscriptionSchema) });

export type NoticeSubscriptionRequest = v.InferOutput<typeof NoticeSubscriptionRequestSchema>;
export type NoticeSubscription = v.InferOutput<typeof NoticeSubscriptionSchema>;
export type NoticeSubscriptionResponse = v.InferOutput<typeof NoticeSubscriptionResponseSchema>;
export type NoticeSubscriptionsResponse = v.InferOutput<typeof NoticeSubscriptionsResponseSchema>;
