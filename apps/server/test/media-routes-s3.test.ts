import type { Media } from "@mpchat/protocol";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server } from "./media/s3-server";
import { devLogin } from "./support/api";
import { startTestServer, type TestServer } from "./support/server";

/** MEDIA_STORE=s3 through the composition root: the app opens the S3 adapter itself (s3rver on 127.0.0.1). */
describe("POST /v1/media and GET /v1/media/:id with MEDIA_STORE=s3 (s3rver)", () => {
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let server: TestServer;
  beforeAll(async () => {
    s3 = await startS3Server();
    server = await startTestServer({
      config: { media: { store: { kind: "s3", ...s3.options }, gcIntervalMs: 3_600_000 } },
    });
  });
  afterAll(async () => {
    await server?.close();
    await s3?.close();
  });

  it("stores an upload in the bucket and serves it back, whole and in a range", async () => {
    const login = (await devLogin(server, "s3user")) as { token: string; mediaToken: string };
    const image = await sharp({ create: { width: 500, height: 300, channels: 3, background: "green" } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append("kind", "image");
    form.append("clientMediaId", "s3-first");
    form.append("file", new Blob([image]), "g.jpg");
    const response = await fetch(`${server.httpUrl}/v1/media`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${login.token}` },
    });
    expect(response.status).toBe(201);
    const { media } = (await response.json()) as { media: Media };
    expect((await s3.keys()).length).toBe(2); // the image and its thumbnail

    const url = `${server.httpUrl}/v1/media/${media.id}?t=${encodeURIComponent(login.mediaToken)}`;
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("image/jpeg");
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(bytes.length).toBe(media.size);
    expect((await sharp(bytes).metadata()).width).toBe(500);
    const part = await fetch(url, { headers: { range: "bytes=-100" } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(bytes.length - 100))).toBe(true);
  });
});
