import type { AdminStatsResponse } from "@mpchat/protocol";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { el, replaceChildren } from "../chat/dom";
import type { AdminApi } from "./api";
import type { AdminStrings } from "./strings";

const POLL_MS = 2_000;
/** Points kept per chart: the last 5 minutes at one sample every 2 s. */
const KEEP = 150;

interface Chart {
  plot: uPlot;
  value: HTMLElement;
  pick: (stats: AdminStatsResponse) => number;
}

function chart(
  title: string,
  color: string,
  pick: (stats: AdminStatsResponse) => number,
): Chart & { card: HTMLElement } {
  const value = el("span", { class: "chart-value" }, "–");
  const area = el("div", { class: "chart-area" });
  const card = el("section", { class: "card chart" }, el("h2", {}, title, value), area);
  const plot = new uPlot(
    {
      width: 420,
      height: 180,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.2)] } },
      series: [{}, { label: title, stroke: color, width: 2, fill: `${color}22` }],
      axes: [{ stroke: "#8a8a8a" }, { stroke: "#8a8a8a", size: 48 }],
    },
    [[], []],
    area,
  );
  return { plot, value, pick, card };
}

/** The overview: live charts of this instance's stats, and the store's and bus's health, polled every 2 s. */
export function renderOverview(
  root: Element,
  t: AdminStrings,
  api: AdminApi,
  onError: (error: unknown) => void,
): () => void {
  const charts = [
    chart(t.overview.connections, "#07c160", (s) => s.connections),
    chart(t.overview.messagesPerSecond, "#1485ee", (s) => s.messagesPerSecond),
    chart(t.overview.ackP99, "#fa9d3b", (s) => s.ackP99Ms),
  ];
  const health = el("div", { class: "health" });
  replaceChildren(
    root,
    el("p", { class: "hint" }, t.overview.note),
    health,
    el("div", { class: "charts" }, ...charts.map((c) => c.card)),
  );
  const times: number[] = [];
  const series: number[][] = charts.map(() => []);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const badge = (label: string, state: "up" | "down") =>
    el(
      "span",
      { class: `badge ${state}`, "data-state": state },
      `${label}：${state === "up" ? t.overview.up : t.overview.down}`,
    );

  const poll = async () => {
    try {
      const stats = await api.stats();
      if (stopped) return;
      times.push(stats.at / 1000);
      charts.forEach((c, i) => {
        const points = series[i] as number[];
        points.push(c.pick(stats));
        if (points.length > KEEP) points.shift();
        c.value.textContent = String(c.pick(stats));
      });
      if (times.length > KEEP) times.shift();
      charts.forEach((c, i) => {
        c.plot.setData([times.slice(), (series[i] as number[]).slice()]);
      });
      replaceChildren(health, badge(t.overview.store, stats.store), badge(t.overview.bus, stats.bus));
    } catch (error) {
      if (!stopped) onError(error);
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  };
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
    for (const c of charts) c.plot.destroy();
  };
}
