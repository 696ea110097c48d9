import { TARGET_LABEL } from "../../systems/systems";
import { num, percent, spread, markdownTable as table } from "../format";
import { errorsOf, integrityCells, type SectionRenderer } from "./section";

/** Section 4: durable writes, end to end and the store alone. */
export const renderDurableSection: SectionRenderer = (results) => {
  if (!results.durable && !results.storeAlone) return [];
  const out: string[] = ["## 4. Durable writes", ""];
  if (results.durable) {
    const r = results.durable;
    out.push(
      `End to end: ${num(r.users)} users in ${num(r.users / 2)} pairs send through the WebSocket, closed loop with ${num(r.concurrency)} sends awaiting their ack at any time, ${num(r.seconds, 1)} s per run. mpchat acks after the commit (group commit), so acked/s is stored-and-acked messages per second. The bare ws server does the same exchange without storing anything: the ceiling for this protocol on this machine. Load-generator CPU is shown to tell whether the generator was the limit (100% = one full core).`,
    );
    out.push("");
    out.push(
      table(
        [
          "System",
          "Acked msg/s",
          "Ack p99 (ms)",
          "Push p99 (ms)",
          "Server CPU",
          "MariaDB CPU",
          "Generator CPU",
          "Lost",
          "Reordered",
          "Errors",
        ],
        r.targets.map((t) => [
          `${TARGET_LABEL[t.target]}${t.durable ? "" : " (no storage)"}`,
          t.error ? `failed: ${t.error}` : spread(t.ackedPerSecond),
          spread(t.ackP99Ms, 1),
          spread(t.pushP99Ms, 1),
          percent(t.serverCpuUtilisation),
          t.databaseCpuUtilisation ? percent(t.databaseCpuUtilisation) : "–",
          percent(t.generatorCpuUtilisation),
          ...integrityCells(t.integrity),
          errorsOf(Object.assign({}, ...t.runs.map((run) => run.errors))) || "none",
        ]),
      ),
    );
    out.push("");
  }
  if (results.storeAlone) {
    const r = results.storeAlone;
    out.push(
      `Store alone: mpchat's own \`benchStore\` (apps/bench/src/store-alone/bench-store.ts) through the \`GroupCommitter\`, no sockets: ${num(r.messages)} messages over ${num(r.conversations)} group conversations from ${num(r.concurrency)} concurrent senders, each awaiting its commit before the next; a fresh process (on the server core) and a fresh database per run, after a warm-up.`,
    );
    out.push("");
    out.push(
      table(
        ["Store", "Messages/s", "Store process CPU"],
        r.targets.map((t) => [
          t.store === "mariadb" ? "MariaDB" : "SQLite",
          t.error ? `failed: ${t.error}` : spread(t.messagesPerSecond),
          percent(t.cpuUtilisation),
        ]),
      ),
    );
    out.push("");
  }
  return out;
};
