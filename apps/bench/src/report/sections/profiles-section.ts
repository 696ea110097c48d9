import { TARGET_LABEL } from "../../systems/systems";
import { num, markdownTable as table } from "../format";
import type { SectionRenderer } from "./section";

/** Where mpchat's server time goes: the CPU profiles taken in this run. */
export const renderProfilesSection: SectionRenderer = (results) => {
  if (results.profiles.length === 0) return [];
  const out: string[] = [];
  out.push("## Where mpchat's server time goes (CPU profiles)");
  out.push("");
  out.push(
    "Taken with V8's sampling CPU profiler (the one `node --cpu-prof` uses), started and stopped over the inspector protocol around the loaded window only, on the mpchat server during a separate run of the scenario (profiling slows the server; these runs are not part of the numbers above). Self time, top entries; idle time excluded. `libsql_js::statement::Rows::js_next` is the native SQLite statement step, which runs synchronously on the event loop (commits included); `writev`/`writeBuffer` are socket writes.",
  );
  out.push("");
  for (const profile of results.profiles) {
    out.push(`### ${profile.scenario} — ${TARGET_LABEL[profile.target]}`);
    out.push("");
    out.push(`By area: ${profile.byArea.map((a) => `${a.area} ${num(a.selfPercent, 1)}%`).join(", ")}`);
    out.push("");
    out.push(
      table(
        ["Self %", "Self ms", "Function", "Where"],
        profile.top.map((e) => [num(e.selfPercent, 1), num(e.selfMs), `\`${e.functionName}\``, e.location]),
      ),
    );
    out.push("");
  }
  return out;
};
