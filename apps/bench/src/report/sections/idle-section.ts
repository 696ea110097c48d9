import { TARGET_LABEL } from "../../systems/systems";
import { kib, num, markdownTable as table } from "../format";
import { idleProjection, PROJECTED_CONNECTIONS } from "../operator-figures";
import type { SectionRenderer } from "./section";

/** Section 3: idle connections, memory per connection. */
export const renderIdleSection: SectionRenderer = (results) => {
  const r = results.idle;
  if (!r) return [];
  const out: string[] = [];
  out.push("## 3. Idle connections");
  out.push("");
  out.push(
    `${num(r.connections)} connections opened to a fresh server (mpchat: authenticated after dev login; the logins happen before the baseline measurement), no traffic; ${r.targets[0]?.runs.length === 1 ? "one run per system (memory varies little between runs, and the logins take minutes)" : `${num(r.targets[0]?.runs.length ?? 0)} runs per system`}. Memory is read inside the server after two full GCs (\`--expose-gc\`, answered over an IPC channel by a preloaded probe, so no system carries bench code) before and after the connections open; per connection = difference ÷ connections. Heap + external (V8 heap and Buffers, after GC) is exact and is what the floors are judged on. RSS is what the operator pays, but its difference is blurred: pages the heap grew into before the baseline (mpchat's logins, the warm-up) stay resident and absorb new objects, so RSS can under-count one system and not another.`,
  );
  out.push("");
  const ws = r.targets.find((t) => t.target === "ws")?.jsBytesPerConnection.median ?? Number.NaN;
  out.push(
    table(
      [
        "System",
        "Heap + external per connection (KiB)",
        "vs ws",
        "RSS per connection (KiB)",
        "Base RSS (MiB)",
        `Projected RSS at ${num(PROJECTED_CONNECTIONS)} (GiB)`,
      ],
      r.targets.map((t) => {
        const projection = idleProjection(t);
        return [
          TARGET_LABEL[t.target],
          t.error ? `failed: ${t.error}` : kib(t.jsBytesPerConnection),
          `${num(t.jsBytesPerConnection.median / ws, 2)}×`,
          kib(t.rssBytesPerConnection),
          num(projection.baseRssBytes / 1024 ** 2, 0),
          num(projection.projectedBytes / 1024 ** 3, 2),
        ];
      }),
    ),
  );
  out.push("");
  const capped =
    r.requestedConnections !== undefined && r.connections < r.requestedConnections
      ? ` ${num(r.requestedConnections)} were asked for; ${num(r.connections)} is what one server process can hold under this machine's open-file hard limit of ${num(r.openFileHardLimit ?? Number.NaN)} (ulimit -Hn), the rest of its descriptors kept for its own files.`
      : "";
  out.push(
    `Projection per node: base RSS (the fresh server before the connections) + ${num(PROJECTED_CONNECTIONS)} × per-connection bytes, taking the larger of RSS and heap + external per connection. The connections are held by child processes of the load generator (up to 10,000 each, from several 127.0.x.y source addresses so that no address runs out of ephemeral ports).${capped}`,
  );
  out.push("");
  return out;
};
