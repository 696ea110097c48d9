import fc from "fast-check";
import { anyUnits, goodEntityId, goodLabel, labelPoison, poisoned, poisonUnit } from "./strings";

/** Who and what the HTTP cases may name. */
export interface HttpContext {
  groupId: string;
  /** Users that exist (valid peers and members). */
  userIds: readonly string[];
}

export interface HttpCase {
  family: string;
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  rawBody?: string;
  /** Documented statuses; a 4xx must carry this error code. */
  statuses: readonly number[];
  code?: string;
}

type Build = (n: number, ctx: HttpContext) => HttpCase;
const PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const peer = (n: number, ctx: HttpContext) => ctx.userIds[n % ctx.userIds.length] ?? "nobody";
const badRequest = { statuses: [400], code: "bad_request" } as const;

/** Any value a JSON body field could hold instead of a string. */
const notAString = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(null, true, [], {}, ["a"]));
const badLabel = fc.oneof(poisoned(goodLabel), poisoned(goodLabel, labelPoison), notAString, fc.constant(""));
const badUserId = fc.oneof(
  poisoned(goodEntityId),
  anyUnits.filter((s) => !PATTERN.test(s)),
  notAString,
);
/** Percent-encoding of any code units, lone surrogates as the raw bytes of their would-be UTF-8. */
const encodeAny = (s: string) =>
  [...s]
    .map((ch) => {
      const u = ch.charCodeAt(0);
      if (ch.length === 1 && u >= 0xd800 && u <= 0xdfff)
        return `%ED%${(0xa0 | ((u >> 6) & 0x1f)).toString(16)}%${(0x80 | (u & 0x3f)).toString(16)}`;
      return encodeURIComponent(ch);
    })
    .join("");

export const httpCase: fc.Arbitrary<Build> = fc.oneof(
  // Valid bodies: the documented success.
  goodLabel.map(
    (title): Build =>
      (n, ctx) => ({
        family: "create group",
        method: "POST",
        path: "/v1/conversations",
        body: { kind: "group", title, memberIds: [peer(n, ctx)] },
        statuses: [201],
      }),
  ),
  fc.constant(
    (n: number, ctx: HttpContext): HttpCase => ({
      family: "create direct",
      method: "POST",
      path: "/v1/conversations",
      body: { kind: "direct", peerId: peer(n, ctx) },
      statuses: [200, 201],
    }),
  ),
  fc.tuple(goodEntityId, fc.option(goodLabel, { nil: undefined })).map(
    ([id, name]): Build =>
      () => ({
        family: "dev login",
        method: "POST",
        path: "/v1/auth/dev",
        body: { userId: `fz${id}`.slice(0, 64), name },
        statuses: [200],
      }),
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 200 })).map(
    ([afterSeq, limit]): Build =>
      (_n, ctx) => ({
        family: "history",
        method: "GET",
        path: `/v1/conversations/${ctx.groupId}/messages?afterSeq=${afterSeq}&limit=${limit}`,
        statuses: [200],
      }),
  ),
  // One bad field: bad_request.
  badLabel.map(
    (title): Build =>
      (n, ctx) => ({
        family: "create group: bad title",
        method: "POST",
        path: "/v1/conversations",
        body: { kind: "group", title, memberIds: [peer(n, ctx)] },
        ...badRequest,
      }),
  ),
  badUserId.map(
    (bad): Build =>
      () => ({
        family: "create group: bad member",
        method: "POST",
        path: "/v1/conversations",
        body: { kind: "group", title: "t", memberIds: [bad] },
        ...badRequest,
      }),
  ),
  badUserId.map(
    (peerId): Build =>
      () => ({
        family: "create direct: bad peer",
        method: "POST",
        path: "/v1/conversations",
        body: { kind: "direct", peerId },
        ...badRequest,
      }),
  ),
  badUserId.map(
    (bad): Build =>
      (_n, ctx) => ({
        family: "add members: bad id",
        method: "POST",
        path: `/v1/conversations/${ctx.groupId}/members`,
        body: { userIds: [bad] },
        ...badRequest,
      }),
  ),
  badUserId.map(
    (userId): Build =>
      () => ({
        family: "dev login: bad userId",
        method: "POST",
        path: "/v1/auth/dev",
        body: { userId },
        ...badRequest,
      }),
  ),
  badLabel.map(
    (name): Build =>
      (n) => ({
        family: "dev login: bad name",
        method: "POST",
        path: "/v1/auth/dev",
        body: { userId: `fzn${n}`, name },
        ...badRequest,
      }),
  ),
  fc
    .tuple(
      fc.constantFrom("afterSeq", "beforeSeq", "limit"),
      fc.oneof(
        poisoned(fc.constant("1")),
        anyUnits.filter((s) => !/^\d{1,15}$/.test(s)),
        poisonUnit,
      ),
    )
    .map(
      ([key, value]): Build =>
        (_n, ctx) => ({
          family: `history: bad ${key}`,
          method: "GET",
          path: `/v1/conversations/${ctx.groupId}/messages?${key}=${encodeAny(value)}`,
          ...badRequest,
        }),
    ),
  // Dot segments ("." and "..") would be resolved away by the URL itself: keep them out.
  anyUnits
    .map((s) => (/^\.*$/.test(s) ? `${s}!` : s))
    .map(
      (id): Build =>
        () => {
          // A conversation id in the path: not one of the alphabet is bad_request; one of it that does not exist, not_found.
          const valid = PATTERN.test(id);
          return {
            family: "history: any path id",
            method: "GET",
            path: `/v1/conversations/${encodeAny(id)}/messages`,
            ...(valid ? { statuses: [403, 404] } : badRequest),
          };
        },
    ),
  // Junk bodies.
  fc.jsonValue().map(
    (body): Build =>
      () => ({ family: "create: junk body", method: "POST", path: "/v1/conversations", body, ...badRequest }),
  ),
  anyUnits.map(
    (text): Build =>
      () => ({
        family: "dev login: raw text body",
        method: "POST",
        path: "/v1/auth/dev",
        rawBody: `\u0001${text}`,
        ...badRequest,
      }),
  ),
);
