import type { ProfileEntry, ProfileSummary } from "../results";
import type { Target } from "../systems/systems";

/** A V8 CPU profile (what `node --cpu-prof` writes and the inspector's Profiler.stop returns). */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }>;
  samples?: number[];
  timeDeltas?: number[];
}

/** Which part of the system a frame belongs to: a package, a server folder, Node itself, GC. */
export function areaOf(functionName: string, url: string): string {
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(program)") return "native (program)";
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? "node_modules");
  }
  const server = /\/apps\/server\/src\/([^/]+)\//.exec(url);
  if (server) return `server/${server[1]}`;
  if (url.includes("/apps/server/src/")) return "server";
  if (url.includes("/packages/protocol/")) return "@mpchat/protocol";
  if (url.startsWith("node:")) return "node internals";
  if (url === "") return "V8 builtins / native";
  return "other";
}

function shortLocation(url: string, line: number): string {
  if (!url) return "(native)";
  const path = url.replace(/^file:\/\//, "");
  const modules = path.lastIndexOf("/node_modules/");
  const short =
    modules >= 0 ? path.slice(modules + "/node_modules/".length) : path.replace(/^.*\/(apps|packages)\//, "$1/");
  // tsx-transpiled server files report line 0 for everything: a line there would mislead.
  return line > 0 ? `${short}:${line + 1}` : short;
}

export function summarizeProfile(profile: CpuProfile, scenario: string, target: Target, topN = 15): ProfileSummary {
  const selfMicros = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + Math.max(0, deltas[i] ?? 0));
  }
  const byFunction = new Map<string, { entry: Omit<ProfileEntry, "selfPercent">; micros: number }>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (micros === 0 || functionName === "(idle)") continue;
    total += micros;
    const area = areaOf(functionName, url);
    byArea.set(area, (byArea.get(area) ?? 0) + micros);
    const key = `${functionName}@${url}:${lineNumber}`;
    const current = byFunction.get(key);
    if (current) current.micros += micros;
    else
      byFunction.set(key, {
        entry: {
          functionName: functionName || "(anonymous)",
          location: `${shortLocation(url, lineNumber)} [${area}]`,
          selfMs: 0,
        },
        micros,
      });
  }
  const percent = (micros: number) => (total > 0 ? Math.round((micros / total) * 1000) / 10 : 0);
  const top = [...byFunction.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, topN)
    .map(({ entry, micros }) => ({ ...entry, selfMs: Math.round(micros / 1000), selfPercent: percent(micros) }));
  return {
    scenario,
    target,
    totalMs: Math.round(total / 1000),
    top,
    byArea: [...byArea.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([area, micros]) => ({ area, selfPercent: percent(micros) })),
  };
}
