import { fileURLToPath } from "node:url";
import madge from "madge";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src", import.meta.url));
const TSCONFIG = fileURLToPath(new URL("../../tsconfig.json", import.meta.url));

/** The import graph of src/, type-only imports included unless skipped. */
function graphOf(skipTypeImports: boolean) {
  const detective = { skipTypeImports };
  return madge(SRC, {
    fileExtensions: ["ts"],
    tsConfig: TSCONFIG,
    detectiveOptions: { ts: detective, tsx: detective },
  });
}

/** src/'s top-level folders (bus, chat, store, ...) and which others each imports; a file at the root is its own node. */
function folderGraph(files: Record<string, string[]>): Map<string, Set<string>> {
  const folderOf = (file: string) => file.split("/")[0] ?? file;
  const folders = new Map<string, Set<string>>();
  for (const [file, imports] of Object.entries(files)) {
    const from = folderOf(file);
    const targets = folders.get(from) ?? new Set<string>();
    folders.set(from, targets);
    for (const imported of imports) if (folderOf(imported) !== from) targets.add(folderOf(imported));
  }
  return folders;
}

/** Every cycle of folders, each as the path that closes it (depth-first search). */
function folderCycles(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const visit = (path: string[]) => {
    const last = path[path.length - 1] ?? "";
    for (const next of graph.get(last) ?? []) {
      const at = path.indexOf(next);
      if (at === 0) cycles.push([...path, next]);
      else if (at < 0 && next > (path[0] ?? "")) visit([...path, next]);
    }
  };
  for (const start of graph.keys()) visit([start]);
  return cycles;
}

/**
 * Layers depend one way (chat on bus and store, never the reverse): a cycle
 * between src/'s folders, or between files at run time, fails here.
 */
describe("imports in apps/server/src", () => {
  it("no two folders import each other, directly or round about (type-only imports count)", async () => {
    const graph = folderGraph((await graphOf(false)).obj());
    expect(graph.get("chat")).toBeDefined();
    expect(graph.get("chat")?.has("bus")).toBe(true);
    expect(folderCycles(graph)).toEqual([]);
  });

  it("no import cycle between files at run time", async () => {
    expect((await graphOf(true)).circular()).toEqual([]);
  });
});
