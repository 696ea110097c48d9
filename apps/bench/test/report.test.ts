import { describe, expect, it } from "vitest";
import { spreadOf } from "../src/measure/spread";
import { checkFloors } from "../src/report/floors";
import { renderMarkdown } from "../src/report/markdown";
import { renderSvg } from "../src/report/svg-chart";
import type { BenchResults, GroupTarget, UploadResult } from "../src/results";

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

const MiB = 1024 * 1024;

function burst(kind: "image" | "file", uploads: number, growthMib: number, reference = false) {
  const run = {
    kind,
    uploads,
    bytesEach: 10 * MiB,
    baselineRssBytes: 200 * MiB,
    peakRssBytes: (200 + growthMib) * MiB,
    peakSource: "VmHWM" as const,
    wallSeconds: 3,
    errors: {},
  };
  return {
    kind,
    uploads,
    bytesEach: 10 * MiB,
    reference,
    growthBytes: spreadOf([growthMib * MiB]),
    runs: [run],
    error: null,
  };
}

function uploadResult(): UploadResult {
  return {
    throughput: {
      count: 40,
      concurrency: 4,
      imageBytes: MiB,
      imageWidth: 2048,
      imageHeight: 1536,
      mibPerSecond: spreadOf([6]),
      serverCpuSecondsPerMib: spreadOf([0.12]),
      runs: [],
      error: null,
    },
    bursts: [burst("file", 20, 52), burst("image", 2, 150, true), burst("image", 20, 400)],
  };
}

describe("report", () => {
  it("judges the upload memory bursts of 20 uploads, not the comparison burst", () => {
    const r = results();
    r.upload = uploadResult();
    const floors = checkFloors(r).filter((f) => f.id.startsWith("upload-memory-"));
    expect(floors.map((f) => [f.id, f.met])).toEqual([
      ["upload-memory-file", true],
      ["upload-memory-image", false],
    ]);
    expect(floors[0]?.measured).toBe("+52 MiB peak RSS over baseline (the uploads are 200 MiB together)");
    expect(floors[1]?.measured).toBe(
      "+400 MiB peak RSS over baseline (the uploads are 200 MiB together; 2 at once: +150 MiB)",
    );
    const markdown = renderMarkdown({ ...r, floors: checkFloors(r) });
    expect(markdown).toContain("## 5. Media uploads");
    expect(markdown).toContain("| 40 | 6.0 | 0.120 |");
    expect(markdown).toContain(
      "| image (comparison: as many as decode at once) | 2 × 10.0 MiB | 200.0 | 350.0 | 150.0 |",
    );
    // Results written before the upload scenario existed render without its section.
    expect(renderMarkdown(results())).not.toContain("## 5. Media uploads");
  });

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
    expect(markdown).toContain("## Floors (issues 7, 12 and 16)");
    expect(markdown).toContain("## 2. Group fan-out");
    expect(markdown).toContain("| 10 (100 rooms) | mpchat (SQLite) | 60,000 |");
    const svg = renderSvg(r);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("Group fan-out efficiency");
    expect(svg.match(/<rect /g)?.length).toBeGreaterThanOrEqual(3);
  });
});
