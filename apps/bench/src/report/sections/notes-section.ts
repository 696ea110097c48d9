import type { SectionRenderer } from "./section";

/** What the run noticed about itself (machine load, failures). */
export const renderNotesSection: SectionRenderer = (results) =>
  results.notes.length === 0 ? [] : ["## Notes on this run", "", ...results.notes.map((note) => `- ${note}`), ""];
