import { renderUploadSection } from "../upload-section";
import type { SectionRenderer } from "./section";

/** Section 5: media uploads (rendered by ../upload-section.ts). */
export const renderUploadsSection: SectionRenderer = (results) =>
  results.upload ? renderUploadSection(results.upload) : [];
