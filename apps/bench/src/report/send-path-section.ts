import type { IntegrityStats } from "../client/traffic";
import type { BenchResults } from "../results";
import type { ChecksResult, ChecksVariant, ImagesResult, SendRun } from "../results-send-path";
import { num, percent, spread, markdownTable as table } from "./format";

/** docs/benchmarks.md sections 7 and 8 (issues 14 and 16): the send path with content checks, image messages. */

const CHECKS_LABEL: Record<ChecksVariant, string> = {
  off: "checks off",
  wordlist: "word list only (`CONTENT_WORDLIST`)",
  wechat: "WeChat `msg_sec_check` (`CONTENT_CHECK=wechat`)",
};

function lostCells(i: IntegrityStats | null): [string, string] {
  if (!i) return ["n/a", "n/a"];
  return [`${num(i.lost)}${i.duplicates ? ` (+${num(i.duplicates)} dup.)` : ""}`, num(i.reordered)];
}

function errorsOf(runs: readonly SendRun[]): string {
  const total: Record<string, number> = {};
  for (const run of runs) for (const [code, n] of Object.entries(run.errors)) total[code] = (total[code] ?? 0) + n;
  const entries = Object.entries(total);
  return entries.length === 0 ? "none" : entries.map(([code, n]) => `${code}×${n}`).join(", ");
}

export function renderChecksSection(r: ChecksResult): string[] {
  const off = r.targets.find((t) => t.variant === "off")?.summary.ackedPerSecond.median ?? Number.NaN;
  return [
    "## 7. Content checks on the send path",
    "",
    `${num(r.users)} WeChat users (logged in through \`POST /v1/auth/wechat\` against a fake WeChat) in ${num(r.users / 2)} pairs send texts, closed loop with ${num(r.concurrency)} sends awaiting their ack, ${num(r.seconds, 1)} s per run, against three mpchat (SQLite) servers that differ only in the check: none, a word list of ${num(r.wordListEntries)} entries alone, and WeChat's \`msg_sec_check\`, which the fake answers after ${num(r.wechatDelayMs)} ms. mpchat acks a text only after its check passed and it is stored, so the ack latency includes the check. \`msg_sec_check\` per message is the fake's count of calls over the acked messages (1: every text checked once); the fake's CPU is shown to tell whether the fake was the limit.`,
    "",
    table(
      [
        "Check",
        "Acked msg/s",
        "vs off",
        "Ack p50 (ms)",
        "Ack p99 (ms)",
        "Push p99 (ms)",
        "Server CPU",
        "Server CPU-ms per message",
        "Generator CPU",
        "`msg_sec_check` per message",
        "Fake WeChat CPU",
        "Lost",
        "Reordered",
        "Errors",
      ],
      r.targets.map((t) => [
        CHECKS_LABEL[t.variant],
        t.error ? `failed: ${t.error}` : spread(t.summary.ackedPerSecond),
        `${num(t.summary.ackedPerSecond.median / off, 2)}×`,
        spread(t.summary.ackP50Ms, 1),
        spread(t.summary.ackP99Ms, 1),
        spread(t.summary.pushP99Ms, 1),
        percent(t.summary.serverCpuUtilisation),
        spread(t.summary.serverCpuMsPerMessage, 2),
        percent(t.summary.generatorCpuUtilisation),
        t.checksPerMessage === null ? "–" : num(t.checksPerMessage, 2),
        t.fakeWeChatCpuUtilisation ? percent(t.fakeWeChatCpuUtilisation) : "–",
        ...lostCells(t.integrity),
        errorsOf(t.runs),
      ]),
    ),
    "",
  ];
}

export function renderImagesSection(r: ImagesResult): string[] {
  const kib = r.jpegs.bytes.map((b) => num(b / 1024)).join(", ");
  const rows = r.targets.map((t) => [
    t.body === "image" ? "image" : "text",
    r.error ? `failed: ${r.error}` : spread(t.closed.ackedPerSecond),
    spread(t.closed.ackP99Ms, 1),
    spread(t.open.ackedPerSecond),
    spread(t.open.ackP99Ms, 1),
    spread(t.open.pushP99Ms, 1),
    percent(t.open.serverCpuUtilisation),
    spread(t.closed.serverCpuMsPerMessage, 2),
    errorsOf(t.runs),
  ]);
  return [
    "## 8. Image messages",
    "",
    `One mpchat (SQLite) server, ${num(r.users)} users in ${num(r.users / 2)} pairs. Before the runs each user uploads one of ${r.jpegs.count} JPEGs of ${r.jpegs.width}×${r.jpegs.height} (${kib} KiB) through \`POST /v1/media\` (${num(r.uploads)} uploads: a body must name media its sender uploaded); then the users send image bodies naming their upload, and the same texts as elsewhere for comparison, alternated. Throughput: closed loop, ${num(r.concurrency)} sends awaiting their ack, ${num(r.seconds, 1)} s. Latency: open loop at ${num(r.rate)} msg/s (a third of the lower of the two bodies' closed-loop warm-up throughputs, so that both are measured at a rate the server sustains for either: spread-out sends cost the server more each than a closed loop's batches) for ${num(r.seconds, 1)} s, from the scheduled send time to the ack and to the peer's push.`,
    "",
    table(
      [
        "Body",
        "Acked msg/s (closed loop)",
        "Ack p99 (closed, ms)",
        `Acked msg/s (open, ${num(r.rate)}/s)`,
        "Ack p99 (open, ms)",
        "Push p99 (open, ms)",
        "Server CPU (open)",
        "Server CPU-ms per message (closed)",
        "Errors",
      ],
      rows,
    ),
    "",
    `Texts and images together: ${num(r.integrity?.sent ?? Number.NaN)} messages, ${lostCells(r.integrity).join(" lost deliveries, ")} reordered.`,
    "",
  ];
}

/** Sections 7 and 8, when the run has them (one entry in markdown.ts). */
export function renderSendPathSections(results: BenchResults): string[] {
  return [
    ...(results.checks ? renderChecksSection(results.checks) : []),
    ...(results.images ? renderImagesSection(results.images) : []),
  ];
}

/** The Method bullets of sections 7 and 8 (appended to the Method section in every run). */
export function renderSendPathMethod(): string[] {
  return [
    `- **Content checks (section 7).** A fake WeChat (\`apps/bench/src/wechat-fake/\`, its own process, not pinned) answers \`jscode2session\` (logins), \`stable_token\` (the access_token, fetched once and cached by the server) and \`msg_sec_check\` (\`pass\`), each after 50 ms, and counts its calls; its CPU is reported with the figures, since on a busy machine the fake itself can become the limit. 50 ms is about what \`api.weixin.qq.com\` takes from a server in mainland China; the real figure varies with the region and the hour, and it is well above what a send costs the server on an idle machine, so the scenario shows what a remote check on the send path costs: every text waits for it before it is stored and acked (ack p50 ≈ the check's latency plus the store's), and, with a fixed number of sends awaiting their ack, throughput is bounded by concurrency ÷ latency (Little's law) unless the server runs out of CPU first; the server's own extra CPU per message is the outgoing HTTP request and its answer (server CPU-ms per message, the server's CPU time over the acked messages, compares the rows even on a busy machine, where the server gets only part of its core and throughput says more about the machine than about mpchat). The word-list run shows the local check alone (Aho–Corasick over the text, no waiting). All three servers have the same WeChat credentials and their users log in through WeChat: \`msg_sec_check\` needs the author's openid, and users without one (dev login) are not sent to WeChat. The per-connection send limit is lifted in sections 7 and 8 (\`SEND_RATE_PER_SECOND\`, \`SEND_BURST\`): fewer simulated users send faster than people. No media check runs (no \`PUBLIC_BASE_URL\`), no offline notices (no template).`,
    `- **Image messages (section 8).** The JPEGs are made with sharp before the run (a gradient with grain); their upload is not measured (section 5 is). An image send costs the server one more store lookup than a text (the media record, to check the sender's ownership and fill in width and height) and a larger push.`,
  ];
}
