import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "@mpchat/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchUpload } from "../src/adapters/fetch-upload";
import type { WxUploadApi } from "../src/adapters/wx-types";
import { wxUploadFile } from "../src/adapters/wx-upload";
import { ChatError } from "../src/errors";
import { MediaUploader } from "../src/media-uploader";
import type { UploadClient } from "../src/ports/upload";
import { RestApi } from "../src/rest-api";
import { nodeHttp } from "./support/real-server";

const nodeUpload = fetchUpload(fetch as never, FormData as never);
const noDelay = { baseMs: 1, maxMs: 1 };

/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** wx.uploadFile as the mini program runs it: reads the temp file, reports progress, answers text. */
function fakeWx(): WxUploadApi {
  return {
    uploadFile(option) {
      const listeners: ((r: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void)[] =
        [];
      void (async () => {
        try {
          const bytes = await readFile(option.filePath);
          const form = new FormData();
          for (const [k, v] of Object.entries(option.formData ?? {})) form.append(k, v);
          form.append(option.name, new Blob([bytes]), "tmp.png");
          for (const l of listeners)
            l({ progress: 100, totalBytesSent: bytes.length, totalBytesExpectedToSend: bytes.length });
          const response = await fetch(option.url, { method: "POST", body: form, headers: option.header ?? {} });
          option.success?.({ statusCode: response.status, data: await response.text() });
        } catch (error) {
          option.fail?.({ errMsg: `uploadFile:fail ${(error as Error).message}` });
        }
      })();
      return { onProgressUpdate: (listener) => void listeners.push(listener) };
    },
  };
}

describe("MediaUploader against a real server", () => {
  let server: TestServer;
  let token: string;
  let mediaToken: string;
  beforeAll(async () => {
    server = await startTestServer();
    const login = await new RestApi({ httpBase: server.httpUrl, http: nodeHttp }).devLogin("uploader");
    token = login.token;
    mediaToken = login.mediaToken ?? "";
  });
  afterAll(async () => {
    await server?.close();
  });

  const uploaderWith = (upload: UploadClient, maxAttempts = 5) =>
    new MediaUploader({ httpBase: server.httpUrl, upload, getToken: () => token, backoff: noDelay, maxAttempts });

  it("uploads with fetch + FormData; the media is served back with the media token", async () => {
    const media = await uploaderWith(nodeUpload).upload({
      kind: "image",
      file: { data: new Blob([PNG]), name: "a.png" },
    });
    expect(media).toMatchObject({ kind: "image", mime: "image/png", width: 1, height: 1 });
    const back = await fetch(`${server.httpUrl}/v1/media/${media.id}?t=${encodeURIComponent(mediaToken)}`);
    expect(back.status).toBe(200);
  });

  it("retries an upload whose answer was lost with the same clientMediaId: one media", async () => {
    const attempts: string[] = [];
    let lost = 0;
    const cutting: UploadClient = {
      async upload(request) {
        attempts.push(request.fields.clientMediaId ?? "");
        const answer = await nodeUpload.upload(request);
        // The server stored it, but the connection was cut before the answer came back.
        if (lost++ < 2) throw new Error("socket hang up");
        return answer;
      },
    };
    const media = await uploaderWith(cutting).upload({ kind: "file", file: { data: new Blob([PNG]) } });
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts).size).toBe(1);
    const again = await uploaderWith(nodeUpload).upload({
      kind: "file",
      file: { data: new Blob([PNG]) },
      clientMediaId: attempts[0] as string,
    });
    expect(again).toEqual(media);
  });

  it("does not retry a refusal, and stops after maxAttempts of network failures", async () => {
    let calls = 0;
    const counting: UploadClient = {
      upload: (request) => {
        calls++;
        return nodeUpload.upload(request);
      },
    };
    const refused = uploaderWith(counting).upload({ kind: "voice", file: { data: new Blob([PNG]) } });
    await expect(refused).rejects.toMatchObject({ code: "bad_request", status: 400 });
    expect(calls).toBe(1);
    calls = 0;
    const down: UploadClient = {
      upload: async () => {
        calls++;
        throw new Error("offline");
      },
    };
    await expect(
      uploaderWith(down, 3).upload({ kind: "file", file: { data: new Blob([PNG]) } }),
    ).rejects.toBeInstanceOf(ChatError);
    expect(calls).toBe(3);
  });

  it("uploads through wx.uploadFile with progress events", async () => {
    const path = join(tmpdir(), `mpchat-wx-upload-${process.pid}.png`);
    await writeFile(path, PNG);
    const progress: { sent: number; total: number; attempt: number }[] = [];
    const media = await uploaderWith(wxUploadFile(fakeWx())).upload({
      kind: "image",
      file: { filePath: path },
      onProgress: (p) => progress.push(p),
    });
    expect(media.kind).toBe("image");
    expect(progress).toEqual([{ sent: PNG.length, total: PNG.length, attempt: 0 }]);
  });
});

describe("wxUploadFile failures", () => {
  const failing = (exists: boolean | undefined): WxUploadApi => ({
    uploadFile(option) {
      option.fail?.({ errMsg: "uploadFile:fail" });
      return { onProgressUpdate: () => undefined };
    },
    ...(exists === undefined
      ? {}
      : {
          getFileSystemManager: () => ({
            accessSync: () => {
              if (!exists) throw new Error("access:fail no such file or directory");
            },
          }),
        }),
  });
  const request = {
    url: "http://127.0.0.1:1/v1/media",
    headers: {},
    fields: {},
    fileField: "file",
    file: { filePath: "wxfile://tmp_gone.jpg" },
    timeoutMs: 1000,
  };

  it("a file that is gone is a refusal (bad_request); otherwise, or when it cannot tell, network trouble", async () => {
    await expect(wxUploadFile(failing(false)).upload(request)).rejects.toMatchObject({ code: "bad_request" });
    for (const exists of [true, undefined]) {
      const failure = await wxUploadFile(failing(exists))
        .upload(request)
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(ChatError);
    }
  });
});
