/** `POST /v1/media` as `wx.uploadFile` sends it: the text fields, then the file part (protocol 1.1). */
export interface UploadRequest {
  kind: "image" | "voice" | "file";
  clientMediaId: string;
  bytes: Uint8Array;
  filename: string;
}

/** What uploadMedia answers when the connection failed before an answer (e.g. reset at the server's request timeout). */
export const NO_ANSWER = 0;

/** One upload; resolves to the HTTP status (201 stored, 200 a repeat), the body read to the end, or NO_ANSWER. */
export async function uploadMedia(httpUrl: string, token: string, request: UploadRequest): Promise<number> {
  try {
    return await send(httpUrl, token, request);
  } catch {
    return NO_ANSWER;
  }
}

async function send(httpUrl: string, token: string, request: UploadRequest): Promise<number> {
  const form = new FormData();
  form.append("kind", request.kind);
  form.append("clientMediaId", request.clientMediaId);
  form.append("file", new Blob([request.bytes]), request.filename);
  const response = await fetch(`${httpUrl}/v1/media`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  return response.status;
}

/** A dev-login token for `userId` (DEV_LOGIN=on). */
export async function devToken(httpUrl: string, userId: string): Promise<string> {
  const response = await fetch(`${httpUrl}/v1/auth/dev`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userId }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST /v1/auth/dev → ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { token: string }).token;
}

/** The stored media of an upload, as `POST /v1/media` answers it. */
export interface UploadedMedia {
  id: string;
  width?: number;
  height?: number;
}

/** One upload that must succeed; resolves to the stored media (for a body that names it). */
export async function uploadForMedia(httpUrl: string, token: string, request: UploadRequest): Promise<UploadedMedia> {
  const form = new FormData();
  form.append("kind", request.kind);
  form.append("clientMediaId", request.clientMediaId);
  form.append("file", new Blob([request.bytes]), request.filename);
  const response = await fetch(`${httpUrl}/v1/media`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST /v1/media → ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { media: UploadedMedia }).media;
}
