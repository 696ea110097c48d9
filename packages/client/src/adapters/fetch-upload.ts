import type { UploadClient } from "../ports/upload";

/** The parts of `FormData` this adapter uses. */
export interface FormDataLike {
  append(name: string, value: unknown, filename?: string): void;
}

/** The parts of `fetch` this adapter uses (a FormData body sets its own content type). */
export type FetchUploadLike = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: FormDataLike },
) => Promise<{ status: number; text(): Promise<string> }>;

/**
 * UploadClient over `fetch` and `FormData` (browsers, Node 18+): fields appended
 * first, then the file. fetch reports no upload progress, so there is none.
 */
export function fetchUpload(fetchFn: FetchUploadLike, FormDataCtor: new () => FormDataLike): UploadClient {
  return {
    async upload(request) {
      const { file } = request;
      if (!("data" in file)) throw new Error("fetch uploads data (a Blob or File), not a filePath");
      const form = new FormDataCtor();
      for (const [name, value] of Object.entries(request.fields)) form.append(name, value);
      form.append(request.fileField, file.data, file.name ?? "upload");
      const response = await fetchFn(request.url, { method: "POST", headers: request.headers, body: form });
      return { status: response.status, body: await response.text() };
    },
  };
}
