import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runClosedLoop } from "../load/closed-loop";
import { type Fleet, openFleet, pairRooms } from "../load/fleet";
import { spreadOf } from "../measure/spread";
import type { ChecksResult, ChecksTarget, ChecksVariant } from "../results-send-path";
import { type RunningSystem, startSystem } from "../systems/systems";
import { type RunningFakeWeChat, startFakeWeChat } from "../wechat-fake/start-fake-wechat";
import { describeError, type ScenarioContext, startContext } from "./context";
import { LIFTED_SEND_LIMITS } from "./lifted-send-limits";
import { describeRun, sendRun, summarizeRuns } from "./send-run";

const VARIANTS: readonly ChecksVariant[] = ["off", "wordlist", "wechat"];

export const CHECKS_LABEL: Record<ChecksVariant, string> = {
  off: "checks off",
  wordlist: "word list only",
  wechat: "WeChat msg_sec_check",
};

/** Entries of the word list run: none occurs in the bench's text, so every text is matched in full and passes. */
const WORD_LIST_ENTRIES = 2000;

/**
 * The server's environment per variant. All three have the same WeChat
 * credentials and log their users in through WeChat (so their ids are WeChat
 * ids, which is what msg_sec_check needs); only the content check differs.
 */
export function variantEnv(variant: ChecksVariant, wechatBase: string, wordListPath: string): Record<string, string> {
  return {
    WECHAT_APPID: "wxbench0000000000",
    WECHAT_SECRET: "bench-secret",
    WECHAT_API_BASE: wechatBase,
    CONTENT_CHECK: variant === "wechat" ? "wechat" : "off",
    ...(variant === "wordlist" ? { CONTENT_WORDLIST: wordListPath } : {}),
    ...LIFTED_SEND_LIMITS,
  };
}

/**
 * Scenario 7: the send path with content checks (issue 14). Pairs of WeChat
 * users (logged in through a fake WeChat) send texts in a closed loop with a
 * fixed number awaiting their ack, as in the durable-writes scenario, against
 * three mpchat (SQLite) servers alike but for the check: none, the word list
 * alone, and WeChat's msg_sec_check, which the fake answers after 50 ms. The
 * fake is its own process and counts its calls, so the run shows that every
 * text was checked once.
 */
export async function runSendChecks(ctx: ScenarioContext): Promise<ChecksResult> {
  const cfg = ctx.config.checks;
  const rooms = pairRooms(cfg.users);
  const roomOf = (user: number) => Math.floor(user / 2);
  const targets = new Map<ChecksVariant, ChecksTarget>(VARIANTS.map((v) => [v, emptyTarget(v)]));
  const scratch = mkdtempSync(join(tmpdir(), "mpchat-bench-wordlist-"));
  const wordListPath = join(scratch, "words.txt");
  writeFileSync(
    wordListPath,
    `${Array.from({ length: WORD_LIST_ENTRIES }, (_, i) => `benchblocked${i}`).join("\n")}\n`,
  );
  let fake: RunningFakeWeChat | null = null;
  const systems = new Map<ChecksVariant, RunningSystem>();
  const fleets = new Map<ChecksVariant, Fleet>();
  const fakeCpus = new Map<ChecksVariant, number[]>(VARIANTS.map((v) => [v, []]));
  try {
    fake = await startFakeWeChat(cfg.wechatDelayMs, ctx.logDir);
    const wechatBase = fake.baseUrl;
    await Promise.all(
      VARIANTS.map(async (variant) => {
        const started = Date.now();
        try {
          const extra = { env: variantEnv(variant, wechatBase, wordListPath), login: "wechat" as const };
          const system = await startSystem("mpchat-sqlite", startContext(ctx, { ...extra, name: `checks-${variant}` }));
          systems.set(variant, system);
          fleets.set(variant, await openFleet(system, cfg.users, rooms, { userPrefix: `c${variant}` }));
          ctx.log(
            `  ${CHECKS_LABEL[variant]}: ${cfg.users} WeChat users in ${rooms.length} pairs (${((Date.now() - started) / 1000).toFixed(1)} s)`,
          );
        } catch (error) {
          const target = targets.get(variant);
          if (target) target.error = describeError(error);
          ctx.log(`  ${CHECKS_LABEL[variant]} failed: ${describeError(error)}`);
        }
      }),
    );
    const plan = (seconds: number) => ({ concurrency: cfg.concurrency, seconds, drainTimeoutMs: 30_000, roomOf });
    for (const variant of VARIANTS) {
      const fleet = fleets.get(variant);
      if (fleet) await runClosedLoop(fleet, plan(cfg.warmupSeconds));
    }
    for (let rep = 0; rep < ctx.config.repetitions; rep++) {
      for (const variant of VARIANTS) {
        const fleet = fleets.get(variant);
        const target = targets.get(variant);
        if (!fleet || !target) continue;
        const before = (await fake.calls()).msg_sec_check;
        const fakeCpuBefore = fake.process.sample().cpuSeconds;
        const wallStart = performance.now();
        const run = sendRun("closed", await runClosedLoop(fleet, plan(cfg.seconds)));
        const fakeCpu = (fake.process.sample().cpuSeconds - fakeCpuBefore) / ((performance.now() - wallStart) / 1000);
        const checks = (await fake.calls()).msg_sec_check - before;
        target.runs.push(run);
        fakeCpus.get(variant)?.push(fakeCpu);
        const perMessage = run.acked > 0 ? checks / run.acked : Number.NaN;
        target.checksPerMessage = Math.max(target.checksPerMessage ?? 0, perMessage);
        ctx.log(
          `  rep ${rep + 1} ${CHECKS_LABEL[variant]}: ${describeRun(run)}; msg_sec_check ${checks} calls (${perMessage.toFixed(2)} per message), fake WeChat CPU ${Math.round(fakeCpu * 100)}%`,
        );
      }
    }
    for (const [variant, fleet] of fleets) {
      const target = targets.get(variant);
      if (!target) continue;
      await fleet.traffic.waitForQuiet(30_000);
      target.integrity = fleet.traffic.integrity();
      target.summary = summarizeRuns(target.runs);
      if (variant === "wechat") target.fakeWeChatCpuUtilisation = spreadOf(fakeCpus.get(variant) ?? []);
    }
  } finally {
    for (const fleet of fleets.values()) await fleet.close();
    await Promise.all([...systems.values()].map((system) => system.stop()));
    await fake?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  return {
    users: cfg.users,
    concurrency: cfg.concurrency,
    seconds: cfg.seconds,
    wechatDelayMs: cfg.wechatDelayMs,
    wordListEntries: WORD_LIST_ENTRIES,
    targets: VARIANTS.map((v) => targets.get(v) ?? emptyTarget(v)),
  };
}

function emptyTarget(variant: ChecksVariant): ChecksTarget {
  return {
    variant,
    summary: summarizeRuns([]),
    runs: [],
    integrity: null,
    checksPerMessage: null,
    fakeWeChatCpuUtilisation: null,
    error: null,
  };
}
