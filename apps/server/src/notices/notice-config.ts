import * as v from "valibot";

/** What a template key of the notice carries (WECHAT_NOTICE_FIELDS). */
export type NoticeRole = "conversation" | "count" | "time" | "hint";
export const NOTICE_ROLES: readonly NoticeRole[] = ["conversation", "count", "time", "hint"];

/**
 * The kinds of WeChat subscribe-message fields we fill, read from the key's
 * name (`thing1`, `number2`, `time3`, …), and the roles each may carry: a
 * conversation's name is free text, so it needs a text field; `character_string`
 * and `number` refuse Chinese, `time`/`date` a date.
 */
export const FIELD_KINDS = [
  "thing",
  "short_thing",
  "name",
  "phrase",
  "number",
  "character_string",
  "time",
  "date",
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

const ROLES_OF_KIND: Record<FieldKind, readonly NoticeRole[]> = {
  thing: ["conversation", "count", "hint"],
  short_thing: ["conversation", "count", "hint"],
  name: ["conversation"],
  phrase: ["hint"],
  number: ["count"],
  character_string: ["count"],
  time: ["time"],
  date: ["time"],
};

export interface NoticeField {
  key: string;
  kind: FieldKind;
  role: NoticeRole;
}

/** The offline-notice part of the configuration (config.ts spreads these entries into its schema). */
export interface NoticeConfig {
  /** WECHAT_NOTICE_TEMPLATE_ID: the subscribe-message template of offline notices. */
  templateId: string;
  /** WECHAT_NOTICE_FIELDS, checked: which key gets what, in the order given. */
  fields: NoticeField[];
  /** WECHAT_NOTICE_HINT: the fixed text of a `hint` field. */
  hint: string;
  /** WECHAT_NOTICE_STATE: `miniprogram_state` of the notice (which version of the mini program it opens). */
  state: "formal" | "trial" | "developer";
  /** WECHAT_NOTICE_LANG. */
  lang: "zh_CN" | "en_US" | "zh_HK" | "zh_TW";
}

export const NoticeEnvSchema = v.object({
  WECHAT_NOTICE_TEMPLATE_ID: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1 to 64 of A-Z a-z 0-9 _ - (the template id)")),
  ),
  WECHAT_NOTICE_FIELDS: v.optional(v.string()),
  WECHAT_NOTICE_HINT: v.optional(v.pipe(v.string(), v.minLength(1)), "你有新消息"),
  WECHAT_NOTICE_STATE: v.optional(
    v.picklist(["formal", "trial", "developer"], "must be formal, trial or developer"),
    "formal",
  ),
  WECHAT_NOTICE_LANG: v.optional(
    v.picklist(["zh_CN", "en_US", "zh_HK", "zh_TW"], "must be zh_CN, en_US, zh_HK or zh_TW"),
    "zh_CN",
  ),
});

type NoticeEnv = v.InferOutput<typeof NoticeEnvSchema>;

/** The kind of a template key: its name without the trailing number (`thing12` → thing). */
export function kindOfKey(key: string): FieldKind | undefined {
  const match = /^([a-z_]+?)\d+$/.exec(key);
  const kind = match?.[1];
  return (FIELD_KINDS as readonly string[]).includes(kind ?? "") ? (kind as FieldKind) : undefined;
}

/**
 * The notice settings, checked together: a template needs WeChat credentials
 * and a field mapping whose every key can carry its role; a mapping without a
 * template is a mistake worth stopping for. Undefined: notices are off.
 */
export function noticeConfigOf(
  e: NoticeEnv,
  hasWeChat: boolean,
  fail: (message: string) => Error,
): NoticeConfig | undefined {
  if (e.WECHAT_NOTICE_TEMPLATE_ID === undefined) {
    if (e.WECHAT_NOTICE_FIELDS !== undefined) throw fail("WECHAT_NOTICE_FIELDS: needs WECHAT_NOTICE_TEMPLATE_ID");
    return undefined;
  }
  if (!hasWeChat) throw fail("WECHAT_NOTICE_TEMPLATE_ID: needs WECHAT_APPID and WECHAT_SECRET (subscribe/send)");
  if (e.WECHAT_NOTICE_FIELDS === undefined) {
    throw fail(
      'WECHAT_NOTICE_FIELDS: required with WECHAT_NOTICE_TEMPLATE_ID (JSON such as {"thing1":"conversation","number2":"count","time3":"time"})',
    );
  }
  return {
    templateId: e.WECHAT_NOTICE_TEMPLATE_ID,
    fields: parseFields(e.WECHAT_NOTICE_FIELDS, fail),
    hint: e.WECHAT_NOTICE_HINT,
    state: e.WECHAT_NOTICE_STATE,
    lang: e.WECHAT_NOTICE_LANG,
  };
}

function parseFields(text: string, fail: (message: string) => Error): NoticeField[] {
  const bad = (why: string) => fail(`WECHAT_NOTICE_FIELDS: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad("must be JSON, an object of template key → role");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw bad("must be a JSON object of template key → role");
  }
  const fields: NoticeField[] = [];
  for (const [key, role] of Object.entries(parsed)) {
    if (typeof role !== "string" || !(NOTICE_ROLES as readonly string[]).includes(role)) {
      throw bad(`${key}: the role must be one of ${NOTICE_ROLES.join(", ")}`);
    }
    const kind = kindOfKey(key);
    if (!kind) throw bad(`${key}: not a template key of a kind we fill (${FIELD_KINDS.join(", ")}, then a number)`);
    if (!ROLES_OF_KIND[kind].includes(role as NoticeRole)) {
      throw bad(`${key}: a ${kind} field cannot carry the ${role} (it can carry ${ROLES_OF_KIND[kind].join(", ")})`);
    }
    fields.push({ key, kind, role: role as NoticeRole });
  }
  if (fields.length === 0) throw bad("maps no key");
  if (!fields.some((field) => field.role === "conversation")) throw bad("no key carries the conversation");
  return fields;
}
