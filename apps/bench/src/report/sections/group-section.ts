import { TARGET_LABEL } from "../../systems/systems";
import { num, percent, spread, markdownTable as table } from "../format";
import { errorsOf, integrityCells, type SectionRenderer } from "./section";

/** Section 2: group fan-out, deliveries per server CPU-second per room size. */
export const renderGroupSection: SectionRenderer = (results) => {
  const r = results.group;
  if (!r) return [];
  const out: string[] = [];
  out.push("## 2. Group fan-out");
  out.push("");
  out.push(
    `${num(r.users)} connected users, each a member of one room of each size; up to ${r.sendersPerRoom} senders per room. A bounded number of deliveries is in flight (${num(r.windowDeliveries)}: a message goes out when an earlier one has reached every member), so each server runs at its own pace without unbounded queues; each measured run lasts about ${num(r.runSeconds, 1)} s (its size is taken from the system's own warm-up pace). A delivery is one \`message\` push to one member connection (the sender's own included). Deliveries per server CPU-second = deliveries ÷ (user + system CPU time of the server process, from /proc).`,
  );
  out.push("");
  const sizes = [...new Set(r.targets.map((t) => t.size))];
  const rows: string[][] = [];
  for (const size of sizes) {
    const bySize = r.targets.filter((t) => t.size === size);
    const ws = bySize.find((t) => t.target === "ws")?.deliveriesPerServerCpuSecond.median ?? Number.NaN;
    const socketio = bySize.find((t) => t.target === "socketio")?.deliveriesPerServerCpuSecond.median ?? Number.NaN;
    for (const t of bySize) {
      const value = t.deliveriesPerServerCpuSecond.median;
      rows.push([
        `${num(size)} (${num(t.rooms)} room${t.rooms === 1 ? "" : "s"})`,
        TARGET_LABEL[t.target],
        t.error ? `failed: ${t.error}` : spread(t.deliveriesPerServerCpuSecond),
        `${num(value / ws, 2)}× / ${num(value / socketio, 2)}×`,
        spread(t.deliveriesPerSecond),
        spread(t.pushP99Ms, 1),
        percent(t.generatorCpuUtilisation),
        errorsOf(Object.assign({}, ...t.runs.map((run) => run.errors))) || "none",
      ]);
    }
  }
  out.push(
    table(
      [
        "Room size",
        "System",
        "Deliveries per server CPU-s",
        "vs ws / vs Socket.IO",
        "Deliveries/s",
        "Push p99 (ms)",
        "Generator CPU",
        "Errors",
      ],
      rows,
    ),
  );
  out.push("");
  const integrityRows = r.targets
    .filter((t) => t.size === sizes[0])
    .map((t) => [TARGET_LABEL[t.target], num(t.integrity?.sent ?? Number.NaN), ...integrityCells(t.integrity)]);
  out.push(table(["System", "Messages (all room sizes)", "Lost deliveries", "Reordered"], integrityRows));
  out.push("");
  return out;
};
