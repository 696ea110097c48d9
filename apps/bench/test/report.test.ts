import { describe, expect, it } from "vitest";
import { spreadOf } from "../src/measure/spread";
import { checkFloors } from "../src/report/floors";
import { renderMarkdown } from "../src/report/markdown";
import { renderSvg } from "../src/report/svg-chart";
import type { BenchResults, GroupTarget } from "../src/results";

const integrity = { sent: 10, lost: 0, reordered: 0, duplicates: 0, refused: 0, unexpectedCloses: 0 };

function groupTarget(target: GroupTarget["target"], size: number, perCpuSecond: number): GroupTarget {
  return {
    target,
    size,
    rooms: 1000 / size,
    deliveriesPerServerCpuSecond: spreadOf([perCpuSecond]),
    deliveriesPerSecond: spreadOf([perCpuSecond / 2]),
    pushP99Ms: spreadOf([5]),
    generatorCpuUtilisation: spreadOf([0.5]),
    runs: [],
    integrity,
    error: null,
  };
}

function results(): BenchResults {
  return {
    schema: 1,
    mode: "quick",
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:01:00.000Z",
    durationSeconds: 60,
    machine: { cpuModel: "Test CPU", cores: 2, memoryGiB: 4, os: "Linux", node: "v20", commit: "abc", mariadb: null },
    environment: {
      pinned: true,
      generatorCore: 0,
      serverCore: 1,
      pinningNote: "taskset",
      loadAverageStart: 0.1,
      loadAverageEnd: 0.2,
      foreignBusyCores: 0.05,
      totalBusyCores: 1.5,
    },
    repetitions: 1,
    oneToOne: null,
    group: {
      users: 1000,
      sendersPerRoom: 20,
      windowDeliveries: 4000,
      runSeconds: 1,
      targets: [
        groupTarget("mpchat-sqlite", 10, 60_000),
        groupTarget("ws", 10, 100_000),
        groupTarget("socketio", 10, 40_000),
      ],
    },
    idle: null,
    durable: null,
    storeAlone: null,
    floors: [],
    profiles: [],
    notes: [],
  };
}

describe("report", () => {
  it("judges the fan-out floors against both baselines", () => {
    const floors = checkFloors(results());
    expect(floors.find((f) => f.id === "fanout-ws-10")?.met).toBe(true);
    expect(floors.find((f) => f.id === "fanout-socketio-10")?.met).toBe(false);
    // Scenarios that did not run are not judged at all.
    expect(floors.some((f) => f.id.startsWith("e2e-") && f.met !== null)).toBe(false);
  });

  it("renders the Markdown tables and a well-formed SVG", () => {
    const r = results();
    r.floors = checkFloors(r);
    const markdown = renderMarkdown(r);
    expect(markdown).toContain("## Floors (issue 7)");
    expect(markdown).toContain("## 2. Group fan-out");
    expect(markdown).toContain("| 10 (100 rooms) | mpchat (SQLite) | 60,000 |");
    const svg = renderSvg(r);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("Group fan-out efficiency");
    expect(svg.match(/<rect /g)?.length).toBeGreaterThanOrEqual(3);
  });
});
