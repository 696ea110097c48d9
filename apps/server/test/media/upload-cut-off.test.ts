import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request as httpRequest, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_UPLOAD_BYTES } from "../../src/media/media-limits";
import { fixture, MiB, multipartParts, photo, startApp, storedFiles, upload, write } from "./upload-app";

describe("storeUpload answers 413 while the client is still sending", () => {
  it("answers before the body ends, reads the rest without a reset, and serves the next request", async () => {
    const root = await mkdtemp(join(tmpdir(), "mpchat-upload-"));
    const server = await startApp(root, MAX_UPLOAD_BYTES + 1);
    // (Node's client drops a socket whose response came before its request ended, so reuse is not asserted.)
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const jpeg = await photo(64, 64);
      const file = Buffer.concat([jpeg.subarray(0, 1000), randomBytes(12 * MiB)]);
      const { head, tail, contentType } = multipartParts("image", "big.jpg");
      const url = new URL(server.url);
      const req = httpRequest({
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": contentType, "content-length": head.length + file.length + tail.length },
      });
      const failed = once(req, "error");
      const bodyReadToEnd = once(server.events, "request-end");
      const responded = once(req, "response") as Promise<[IncomingMessage]>;
      await write(req, head);
      await write(req, file.subarray(0, 11 * MiB));
      // Not ended: 1 MiB and the closing boundary are still to come.
      const [response] = await responded;
      expect(response.statusCode).toBe(413);
      expect(req.writableEnded).toBe(false);
      const answer = response.toArray();
      // Node's client no longer emits 'drain' once its response has come, so the rest goes in one write.
      req.end(Buffer.concat([file.subarray(11 * MiB), tail]));
      await once(req, "finish");
      // The server read and discarded the rest to the end: no reset, no error on the client's side.
      const [bytes] = (await bodyReadToEnd) as [number];
      expect(bytes).toBeGreaterThanOrEqual(head.length + file.length + tail.length);
      expect(await Promise.race([failed, Promise.resolve("no error")])).toBe("no error");
      const body = JSON.parse(Buffer.concat(await answer).toString()) as { error: string };
      expect(body.error).toBe("too_large");

      const second = await new Promise<{ status: number | undefined }>((resolve, reject) => {
        const { head: h2, tail: t2, contentType: c2 } = multipartParts("voice", "a.aac");
        const aac = fixture("voice-2s.aac");
        const r2 = httpRequest(
          {
            agent,
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            headers: { "content-type": c2, "content-length": h2.length + aac.length + t2.length },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode }));
          },
        );
        r2.on("error", reject);
        r2.end(Buffer.concat([h2, aac, t2]));
      });
      expect(second.status).toBe(201);
      expect((await storedFiles(root)).length).toBe(1);
    } finally {
      agent.destroy();
      await server.app.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("storeUpload when multipart cuts the file at its own limit", () => {
  it("answers too_large, not a 201 for the first MiB", async () => {
    const root = await mkdtemp(join(tmpdir(), "mpchat-upload-"));
    // The parser's limit below the kind's: busboy ends the cut stream normally, marked truncated.
    const server = await startApp(root, 1 * MiB);
    try {
      const { status, body } = await upload(server.url, "file", randomBytes(2 * MiB));
      expect(status).toBe(413);
      expect(body.error).toBe("too_large");
      expect(await storedFiles(root)).toEqual([]);
    } finally {
      await server.app.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
