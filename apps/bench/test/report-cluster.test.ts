import { describe, expect, it } from "vitest";
import { spreadOf } from "../src/measure/spread";
import { clusterComparison } from "../src/report/cluster-figures";
import { checkFloors } from "../src/report/floors";
import { latencyLines, renderLatencySvg } from "../src/report/latency-chart";
import { renderMarkdown, SECTIONS } from "../src/report/markdown";
import { idleProjection } from "../src/report/operator-figures";
import type { BenchResults, IdleTarget, StepRecord } from "../src/results";
import type { ClusterResult, ClusterTarget } from "../src/results-cluster";

const clean = { sent: 100, lost: 0, reordered: 0, duplicates: 0, refused: 0, unexpectedCloses: 0 };

function base(): BenchResults {
  return {
    schema: 1,
    mode: "quick",
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:01:00.000Z",
    durationSeconds: 60,
    machine: { cpuModel: "Test CPU", cores: 2, memoryGiB: 4, os: "Linux", node: "v24", commit: "abc", mariadb: null },
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
    group: null,
    idle: null,
    durable: null,
    storeAlone: null,
    floors: [],
    profiles: [],
    notes: [],
  };
}

function clusterTarget(
  workload: ClusterTarget["workload"],
  instances: number,
  serverMicros: number,
  redisMicros: number,
): ClusterTarget {
  return {
    workload,
    instances,
    roomSize: workload === "group" ? 100 : 2,
    rooms: 10,
    deliveriesPerServerCpuSecond: spreadOf([1e6 / serverMicros]),
    deliveriesPerSecond: spreadOf([10_000]),
    serverCpuMicrosPerDelivery: spreadOf([serverMicros]),
    redisCpuMicrosPerDelivery: spreadOf([redisMicros]),
    databaseCpuMicrosPerDelivery: spreadOf([5]),
    pushP99Ms: spreadOf([20]),
    runs: [],
    integrity: clean,
    error: null,
  };
}

function cluster(groupClusterMicros: number, lost = 0): ClusterResult {
  return {
    instances: 3,
    users: 1000,
    groupSize: 100,
    sendersPerRoom: 10,
    windowDeliveries: 2000,
    runSeconds: 4,
    targets: [
      clusterTarget("group", 1, 20, 1),
      { ...clusterTarget("group", 3, groupClusterMicros, 3), integrity: { ...clean, lost } },
      clusterTarget("one-to-one", 1, 100, 5),
      // Both workloads of one layout share one fleet, hence one integrity record.
      { ...clusterTarget("one-to-one", 3, 120, 9), integrity: { ...clean, lost } },
    ],
  };
}

function idleTarget(rssPerConnection: number, jsPerConnection: number, baseRss: number): IdleTarget {
  const run = {
    connections: 20_000,
    rssBytesPerConnection: rssPerConnection,
    heapBytesPerConnection: jsPerConnection,
    jsBytesPerConnection: jsPerConnection,
    rssBefore: baseRss,
    rssAfter: baseRss + 20_000 * rssPerConnection,
    gcRan: true,
  };
  return {
    target: "mpchat-sqlite",
    connections: 20_000,
    rssBytesPerConnection: spreadOf([rssPerConnection]),
    jsBytesPerConnection: spreadOf([jsPerConnection]),
    runs: [run],
    error: null,
  };
}

function step(rate: number, ackP99Ms: number, passed = true): StepRecord {
  return {
    rate,
    passed,
    reason: passed ? null : "push p99 too high",
    deliveredPerSecond: rate * 2,
    pushP50Ms: 1,
    pushP99Ms: ackP99Ms,
    ackP99Ms,
    serverCpuUtilisation: 0.5,
    generatorCpuUtilisation: 0.5,
    maxLagMs: 0,
    errors: {},
  };
}

describe("cluster report", () => {
  it("compares server + Redis CPU per delivery and derives the Redis hop", () => {
    const c = clusterComparison(cluster(27), "group");
    expect(c.singleTotalMicros).toBe(21);
    expect(c.clusterTotalMicros).toBe(30);
    expect(c.ratio).toBeCloseTo(30 / 21);
    expect(c.hopServerMicros).toBe(7);
    expect(c.hopRedisMicros).toBe(2);
  });

  it("judges the 1.5× floor per workload and the integrity floor", () => {
    const r = base();
    r.cluster = cluster(27);
    const floors = checkFloors(r);
    expect(floors.find((f) => f.id === "cluster-cpu-group")?.met).toBe(true);
    expect(floors.find((f) => f.id === "cluster-cpu-one-to-one")?.met).toBe(true);
    expect(floors.find((f) => f.id === "cluster-integrity")?.met).toBe(true);
    r.cluster = cluster(40, 1);
    const missed = checkFloors(r);
    expect(missed.find((f) => f.id === "cluster-cpu-group")?.met).toBe(false);
    expect(missed.find((f) => f.id === "cluster-cpu-group")?.measured).toBe("43 µs vs 21 µs (2.05×)");
    expect(missed.find((f) => f.id === "cluster-integrity")?.met).toBe(false);
    // Results without a cluster run are not judged on it.
    expect(checkFloors(base()).some((f) => f.id.startsWith("cluster-"))).toBe(false);
  });

  it("renders the cluster section and the operator sentences from the results", () => {
    const r = base();
    r.cluster = cluster(27);
    r.idle = {
      connections: 20_000,
      requestedConnections: 20_000,
      openFileHardLimit: 65_536,
      targets: [idleTarget(10 * 1024, 4 * 1024, 100 * 1024 ** 2)],
    };
    const markdown = renderMarkdown({ ...r, floors: checkFloors(r) });
    expect(markdown).toContain("## 6. Several instances (MariaDB + Redis)");
    expect(markdown).toContain(
      "- group: the Redis hop costs 7.0 µs of server CPU and 2.0 µs of Redis CPU per delivery",
    );
    expect(markdown).toContain("## What one instance serves, and what to add");
    // 3 × (1e6/27) ÷ (1e6/20) = 2.2
    expect(markdown).toContain("carry about 2.2× what one carries");
    expect(markdown).toContain("about 1.05 GiB per node: 100 MiB for the server itself plus 10.0 KiB per connection");
    // Sentences whose figures were not measured are left out.
    expect(markdown).not.toContain("**SQLite:**");
    expect(markdown).not.toContain("MySQL/MariaDB sizing");
  });

  it("keeps the section list in document order", () => {
    expect(SECTIONS.length).toBeGreaterThanOrEqual(10);
    const markdown = renderMarkdown({ ...base(), cluster: cluster(27) });
    expect(markdown.indexOf("## Floors")).toBeLessThan(markdown.indexOf("## What one instance serves"));
    expect(markdown.indexOf("## 6. Several instances")).toBeLessThan(markdown.indexOf("## Method"));
  });
});

describe("idle projection", () => {
  it("adds 100,000 × the larger per-connection figure to the base RSS", () => {
    const p = idleProjection(idleTarget(3000, 5000, 50_000_000));
    expect(p.perConnectionBytes).toBe(5000);
    expect(p.projectedBytes).toBe(50_000_000 + 100_000 * 5000);
    expect(Number.isNaN(idleProjection(undefined).projectedBytes)).toBe(true);
  });
});

describe("latency chart", () => {
  it("draws one line per system, the median ack p99 per offered rate", () => {
    const r = base();
    const empty = spreadOf([]);
    r.oneToOne = {
      users: 1000,
      p99LimitMs: 50,
      stepSeconds: 1,
      targets: [
        {
          target: "mpchat-mariadb",
          saturationRate: spreadOf([4000]),
          capped: false,
          ladders: [
            [step(2000, 4), step(4000, 10), step(8000, 300, false)],
            [step(2000, 6), step(4000, 20)],
            [step(2000, 5), step(3000, 8)],
          ],
          halfRate: 2000,
          halfPushP50Ms: empty,
          halfPushP99Ms: empty,
          halfAckP99Ms: empty,
          halfRuns: [],
          integrity: clean,
          error: null,
        },
      ],
    };
    expect(latencyLines(r)).toEqual([
      {
        target: "mpchat-mariadb",
        points: [
          { rate: 2000, ackP99Ms: 5, passed: true },
          { rate: 3000, ackP99Ms: 8, passed: true },
          { rate: 4000, ackP99Ms: 15, passed: true },
          { rate: 8000, ackP99Ms: 300, passed: false },
        ],
      },
    ]);
    const svg = renderLatencySvg(r);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<polyline /g)?.length).toBe(1);
    expect(svg.match(/<circle /g)?.length).toBe(4);
    expect(renderLatencySvg(base())).toContain("no rate ladder in this run");
  });
});
