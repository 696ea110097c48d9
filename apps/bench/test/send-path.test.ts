import { describe, expect, it } from "vitest";
import { spreadOf } from "../src/measure/spread";
import { renderMarkdown } from "../src/report/markdown";
import { sendPathFloors } from "../src/report/send-path-floors";
import type { BenchResults } from "../src/results";
import type { ChecksResult, ChecksTarget, ImagesResult, SendRun } from "../src/results-send-path";
import { imageBody, openLoopRate } from "../src/scenarios/image-sends";
import { summarizeRuns } from "../src/scenarios/send-run";
import { apiOfPath, FAKE_ACCESS_TOKEN, fakeAnswer, loginCodeFor } from "../src/wechat-fake/fake-answers";

const clean = { sent: 100, lost: 0, reordered: 0, duplicates: 0, refused: 0, unexpectedCloses: 0 };

function run(overrides: Partial<SendRun> = {}): SendRun {
  return {
    loop: "closed",
    sent: 100,
    acked: 100,
    ackedPerSecond: 1000,
    ackP50Ms: 55,
    ackP99Ms: 80,
    pushP50Ms: 55,
    pushP99Ms: 81,
    serverCpuUtilisation: 0.5,
    serverCpuMsPerMessage: 0.5,
    generatorCpuUtilisation: 0.2,
    drained: true,
    errors: {},
    ...overrides,
  };
}

function checksTarget(variant: ChecksTarget["variant"], runs: SendRun[] = [run()]): ChecksTarget {
  return {
    variant,
    summary: summarizeRuns(runs),
    runs,
    integrity: clean,
    checksPerMessage: variant === "wechat" ? 1 : 0,
    fakeWeChatCpuUtilisation: variant === "wechat" ? spreadOf([0.1]) : null,
    error: null,
  };
}

function checks(wechatRuns: SendRun[] = [run()]): ChecksResult {
  return {
    users: 200,
    concurrency: 100,
    seconds: 2,
    wechatDelayMs: 50,
    wordListEntries: 2000,
    targets: [checksTarget("off"), checksTarget("wordlist"), checksTarget("wechat", wechatRuns)],
  };
}

function images(): ImagesResult {
  const runs = [run(), run({ loop: "open" })];
  return {
    users: 200,
    concurrency: 100,
    seconds: 2,
    rate: 500,
    jpegs: { count: 2, width: 480, height: 360, bytes: [30_000, 30_100] },
    uploads: 200,
    targets: (["text", "image"] as const).map((body) => ({
      body,
      closed: summarizeRuns(runs.slice(0, 1)),
      open: summarizeRuns(runs.slice(1)),
      runs,
    })),
    integrity: clean,
    error: null,
  };
}

function results(part: Partial<BenchResults>): BenchResults {
  return {
    schema: 1,
    mode: "quick",
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:01:00.000Z",
    durationSeconds: 60,
    machine: { cpuModel: "Test CPU", cores: 2, memoryGiB: 4, os: "Linux", node: "v24", commit: "abc", mariadb: null },
    environment: {
      pinned: true,
      generatorCore: 0,
      serverCore: 1,
      pinningNote: "taskset",
      loadAverageStart: 0.1,
      loadAverageEnd: 0.2,
      foreignBusyCores: 0.05,
      totalBusyCores: 1.5,
    },
    repetitions: 1,
    oneToOne: null,
    group: null,
    idle: null,
    durable: null,
    storeAlone: null,
    floors: [],
    profiles: [],
    notes: [],
    ...part,
  };
}

describe("the fake WeChat's answers", () => {
  it("exchanges a bench login code for its openid and refuses any other code", () => {
    const answer = fakeAnswer("jscode2session", new URLSearchParams({ js_code: loginCodeFor("cwechat7") }), {});
    expect(answer).toMatchObject({ openid: "cwechat7" });
    expect(fakeAnswer("jscode2session", new URLSearchParams({ js_code: "someone-else" }), {})).toMatchObject({
      errcode: 40029,
    });
  });

  it("passes a text checked with its token and calls another token invalid", () => {
    const body = { version: 2, openid: "cwechat7", scene: 2, content: "hello" };
    const good = new URLSearchParams({ access_token: FAKE_ACCESS_TOKEN });
    expect(fakeAnswer("msg_sec_check", good, body)).toMatchObject({ errcode: 0, result: { suggest: "pass" } });
    expect(fakeAnswer("msg_sec_check", new URLSearchParams({ access_token: "old" }), body)).toMatchObject({
      errcode: 40001,
    });
    expect(fakeAnswer("msg_sec_check", good, { openid: "x" })).toMatchObject({ errcode: 47001 });
  });

  it("hands out its token through stable_token and names the paths mpchat calls", () => {
    expect(fakeAnswer("stable_token", new URLSearchParams(), {})).toEqual({
      access_token: FAKE_ACCESS_TOKEN,
      expires_in: 7200,
    });
    expect(apiOfPath("/wxa/msg_sec_check")).toBe("msg_sec_check");
    expect(apiOfPath("/wxa/media_check_async")).toBe("other");
  });
});

describe("image bodies", () => {
  it("name the sender's media with its size", () => {
    expect(JSON.parse(imageBody({ id: "mAbc-def", width: 480, height: 360 }))).toEqual({
      kind: "image",
      mediaId: "mAbc-def",
      width: 480,
      height: 360,
    });
  });
});

describe("the send-path floor", () => {
  it("is met when every send was acked and delivered once, in order", () => {
    const [floor] = sendPathFloors(results({ checks: checks(), images: images() }));
    expect(floor?.met).toBe(true);
    expect(floor?.measured).toContain("checks wechat");
    expect(floor?.measured).toContain("images");
  });

  it("is missed by a send never acked, an error, or a lost delivery", () => {
    expect(sendPathFloors(results({ checks: checks([run({ acked: 99 })]) }))[0]?.met).toBe(false);
    expect(sendPathFloors(results({ checks: checks([run({ errors: { unavailable: 1 } })]) }))[0]?.met).toBe(false);
    const lossy = images();
    lossy.integrity = { ...clean, lost: 1 };
    expect(sendPathFloors(results({ images: lossy }))[0]?.met).toBe(false);
  });

  it("is absent from runs without these scenarios", () => {
    expect(sendPathFloors(results({}))).toEqual([]);
  });
});

describe("the report", () => {
  it("renders sections 7 and 8 and their method", () => {
    const markdown = renderMarkdown(results({ checks: checks(), images: images() }));
    expect(markdown).toContain("## 7. Content checks on the send path");
    expect(markdown).toMatch(
      /\| WeChat `msg_sec_check` \(`CONTENT_CHECK=wechat`\) \| 1,000 \| 1\.00× \| 55\.0 \| 80\.0 \| 81\.0 \| 50% \| 0\.50 \| 20% \| 1\.00 \| 10% \|/,
    );
    expect(markdown).toContain("## 8. Image messages");
    expect(markdown).toContain("**Content checks (section 7).**");
  });

  it("leaves both sections out of runs without them, but keeps the method", () => {
    const markdown = renderMarkdown(results({}));
    expect(markdown).not.toContain("## 7.");
    expect(markdown).not.toContain("## 8.");
    expect(markdown).toContain("**Content checks (section 7).**");
  });
});

describe("the image scenario's open-loop rate", () => {
  it("is a third of the lower warm-up throughput, in steps of 50/s, capped", () => {
    expect(openLoopRate([961, 512], 1000)).toBe(150);
    expect(openLoopRate([8000, 6000], 2000)).toBe(2000);
    expect(openLoopRate([60, Number.NaN], 1000)).toBe(50);
    expect(openLoopRate([], 1000)).toBe(50);
  });
});
