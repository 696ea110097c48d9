import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";
import { chinaClock, chinaDate, fit, noticeData } from "../../src/notices/notice-fields";

const WECHAT = { WECHAT_APPID: "wxapp", WECHAT_SECRET: "secret", DATA_DIR: "/tmp/mpchat-notice-config" };
const FIELDS = '{"thing1":"conversation","number2":"count","time3":"time","thing4":"hint"}';

describe("WECHAT_NOTICE_* configuration", () => {
  it("is off by default and reads a template with its fields", () => {
    expect(loadConfig(WECHAT).notices).toBeUndefined();
    const config = loadConfig({ ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "TPL_1-a", WECHAT_NOTICE_FIELDS: FIELDS });
    expect(config.notices).toEqual({
      templateId: "TPL_1-a",
      fields: [
        { key: "thing1", kind: "thing", role: "conversation" },
        { key: "number2", kind: "number", role: "count" },
        { key: "time3", kind: "time", role: "time" },
        { key: "thing4", kind: "thing", role: "hint" },
      ],
      hint: "你有新消息",
      state: "formal",
      lang: "zh_CN",
    });
  });

  it("refuses what cannot work, naming the variable", () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ DATA_DIR: "/tmp/x", WECHAT_NOTICE_TEMPLATE_ID: "T", WECHAT_NOTICE_FIELDS: FIELDS }, /needs WECHAT_APPID/],
      [{ ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "T" }, /WECHAT_NOTICE_FIELDS: required/],
      [{ ...WECHAT, WECHAT_NOTICE_FIELDS: FIELDS }, /needs WECHAT_NOTICE_TEMPLATE_ID/],
      [
        { ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "has space", WECHAT_NOTICE_FIELDS: FIELDS },
        /WECHAT_NOTICE_TEMPLATE_ID/,
      ],
      [{ ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "T", WECHAT_NOTICE_FIELDS: "not json" }, /must be JSON/],
      [{ ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "T", WECHAT_NOTICE_FIELDS: "[]" }, /JSON object/],
      [{ ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "T", WECHAT_NOTICE_FIELDS: "{}" }, /maps no key/],
      [{ ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "T", WECHAT_NOTICE_FIELDS: '{"thing1":"content"}' }, /role must be/],
      [{ ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "T", WECHAT_NOTICE_FIELDS: '{"thing1":3}' }, /role must be/],
      [
        { ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "T", WECHAT_NOTICE_FIELDS: '{"thing":"conversation"}' },
        /thing: not a template key/,
      ],
      [
        {
          ...WECHAT,
          WECHAT_NOTICE_TEMPLATE_ID: "T",
          WECHAT_NOTICE_FIELDS: '{"amount1":"count","thing2":"conversation"}',
        },
        /amount1/,
      ],
      [
        { ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "T", WECHAT_NOTICE_FIELDS: '{"character_string1":"conversation"}' },
        /cannot carry the conversation/,
      ],
      [
        {
          ...WECHAT,
          WECHAT_NOTICE_TEMPLATE_ID: "T",
          WECHAT_NOTICE_FIELDS: '{"time1":"count","thing2":"conversation"}',
        },
        /cannot carry the count/,
      ],
      [
        { ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "T", WECHAT_NOTICE_FIELDS: '{"number1":"count"}' },
        /no key carries the conversation/,
      ],
      [
        { ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "T", WECHAT_NOTICE_FIELDS: FIELDS, WECHAT_NOTICE_STATE: "beta" },
        /WECHAT_NOTICE_STATE/,
      ],
      [
        { ...WECHAT, WECHAT_NOTICE_TEMPLATE_ID: "T", WECHAT_NOTICE_FIELDS: FIELDS, WECHAT_NOTICE_LANG: "fr" },
        /WECHAT_NOTICE_LANG/,
      ],
    ];
    for (const [env, message] of bad) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(message);
    }
  });
});

describe("notice fields follow WeChat's rules", () => {
  it("cuts text to its kind's length (never refusing), keeping surrogate pairs whole", () => {
    expect(fit("thing", "短名")).toBe("短名");
    const twenty = "一二三四五六七八九十一二三四五六七八九十";
    expect(fit("thing", twenty)).toBe(twenty);
    expect(fit("thing", `${twenty}多`)).toBe(`${twenty.slice(0, 19)}…`);
    expect(Array.from(fit("thing", "🌸".repeat(30)))).toHaveLength(20);
    expect(fit("thing", "🌸".repeat(30)).startsWith("🌸".repeat(19))).toBe(true);
    expect(fit("short_thing", "一二三四五六")).toBe("一二三四…");
    expect(fit("phrase", "你有新消息了")).toBe("你有新消…");
    expect(fit("name", "a".repeat(11))).toHaveLength(10);
    expect(fit("thing", "   ")).toBe("-");
  });

  it("writes times and dates in China time, counts as numbers or text", () => {
    const at = Date.UTC(2026, 11, 1, 16, 5); // 00:05 on 2 December in Beijing
    expect(chinaDate(at)).toBe("2026年12月2日");
    expect(chinaClock(at)).toBe("00:05");
    const data = noticeData(
      [
        { key: "name1", kind: "name", role: "conversation" },
        { key: "thing2", kind: "thing", role: "count" },
        { key: "character_string3", kind: "character_string", role: "count" },
        { key: "date4", kind: "date", role: "time" },
        { key: "time5", kind: "time", role: "time" },
        { key: "phrase6", kind: "phrase", role: "hint" },
      ],
      { conversation: "周末爬山小分队", count: 12, at, hint: "新消息" },
    );
    expect(data).toEqual({
      name1: { value: "周末爬山小分队" },
      thing2: { value: "12条新消息" },
      character_string3: { value: "12" },
      date4: { value: "2026年12月2日" },
      time5: { value: "2026年12月2日 00:05" },
      phrase6: { value: "新消息" },
    });
  });
});
