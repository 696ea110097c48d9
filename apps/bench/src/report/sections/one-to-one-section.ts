import type { StepRecord } from "../../results";
import { TARGET_LABEL } from "../../systems/systems";
import { num, spread, markdownTable as table } from "../format";
import { integrityCells, type SectionRenderer } from "./section";

function ladderLine(steps: StepRecord[]): string {
  return steps.map((s) => `${num(s.rate)}/s → ${num(s.pushP99Ms, 1)} ms${s.passed ? "" : " ✗"}`).join(", ");
}

/** Section 1: one-to-one chat, the open-loop rate ladders and the run at half the saturation rate. */
export const renderOneToOneSection: SectionRenderer = (results) => {
  const r = results.oneToOne;
  if (!r) return [];
  const out: string[] = [];
  out.push("## 1. One-to-one chat");
  out.push("");
  out.push(
    `${num(r.users)} users in ${num(r.users / 2)} pairs, each user sending to its peer, open loop (sends at scheduled times, latency from the scheduled time). Rates step up (${num(r.stepSeconds, 1)} s per step) until the p99 from send to the peer's \`message\` push passes ${r.p99LimitMs} ms; the saturation rate is the highest passing rate. Then ${results.repetitions === 1 ? "a run" : "runs"} at half that rate. Every message is acked to the sender and pushed to both members.`,
  );
  out.push("");
  out.push(
    table(
      [
        "System",
        "Saturation (msg/s)",
        "Half rate",
        "Push p50 at half (ms)",
        "Push p99 at half (ms)",
        "Ack p99 at half (ms)",
        "Lost",
        "Reordered",
      ],
      r.targets.map((t) => [
        TARGET_LABEL[t.target],
        t.error ? `failed: ${t.error}` : `${spread(t.saturationRate)}${t.capped ? " (cap)" : ""}`,
        num(t.halfRate),
        spread(t.halfPushP50Ms, 2),
        spread(t.halfPushP99Ms, 2),
        spread(t.halfAckP99Ms, 2),
        ...integrityCells(t.integrity),
      ]),
    ),
  );
  out.push("");
  out.push("![Ack p99 over offered rate, per system](benchmarks-latency.svg)");
  out.push("");
  out.push("Rate ladders (push p99 per step, ✗ = step failed):");
  out.push("");
  for (const t of r.targets) {
    t.ladders.forEach((steps, i) => {
      const failure = steps.find((s) => !s.passed)?.reason;
      const saturationStep = steps.filter((s) => s.passed).at(-1);
      out.push(
        `- ${TARGET_LABEL[t.target]}${t.ladders.length > 1 ? `, run ${i + 1}` : ""}: ${ladderLine(steps)}${failure ? ` — first failure: ${failure}` : ""}${saturationStep ? `; at saturation server CPU ${num(saturationStep.serverCpuUtilisation * 100)}%, generator CPU ${num(saturationStep.generatorCpuUtilisation * 100)}%` : ""}`,
      );
    });
  }
  out.push("");
  return out;
};
