import { TARGET_LABEL } from "../../systems/systems";
import { kib, num, markdownTable as table } from "../format";
import type { SectionRenderer } from "./section";

/** Section 3: idle connections, memory per connection. */
export const renderIdleSection: SectionRenderer = (results) => {
  const r = results.idle;
  if (!r) return [];
  const out: string[] = [];
  out.push("## 3. Idle connections");
  out.push("");
  out.push(
    `${num(r.connections)} connections opened to a fresh server (mpchat: authenticated after dev login; the logins happen before the baseline measurement), no traffic. Memory is read inside the server after two full GCs (\`--expose-gc\`, answered over an IPC channel by a preloaded probe, so no system carries bench code) before and after the connections open; per connection = difference ÷ connections. Heap + external (V8 heap and Buffers, after GC) is exact and is what the floors are judged on. RSS is what the operator pays, but its difference is blurred: pages the heap grew into before the baseline (mpchat's logins, the warm-up) stay resident and absorb new objects, so RSS can under-count one system and not another.`,
  );
  out.push("");
  const ws = r.targets.find((t) => t.target === "ws")?.jsBytesPerConnection.median ?? Number.NaN;
  out.push(
    table(
      ["System", "Heap + external per connection (KiB)", "vs ws", "RSS per connection (KiB)"],
      r.targets.map((t) => [
        TARGET_LABEL[t.target],
        t.error ? `failed: ${t.error}` : kib(t.jsBytesPerConnection),
        `${num(t.jsBytesPerConnection.median / ws, 2)}×`,
        kib(t.rssBytesPerConnection),
      ]),
    ),
  );
  out.push("");
  return out;
};
