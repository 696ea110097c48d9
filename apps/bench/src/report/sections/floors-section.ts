import { markdownTable as table } from "../format";
import type { SectionRenderer } from "./section";

/** The floors and whether this run met them. */
export const renderFloorsSection: SectionRenderer = (results) => [
  "## Floors (issues 7, 12 and 16)",
  "",
  table(
    ["Floor", "Measured (median)", "Met"],
    results.floors.map((f) => [f.floor, f.measured, f.met === null ? "not measured" : f.met ? "✅ met" : "❌ missed"]),
  ),
  "",
];
