import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake WeChat API on 127.0.0.1 with the one route login needs, `GET /sns/jscode2session`,
 * answering like the real one: `{openid, session_key}` for a good code, errcode 40029 for an unknown
 * code, 40163 for a code used before. Body as JSON labelled text/plain, as WeChat does.
 */
export class FakeWeChat {
  /** Every session_key handed to the server: none may ever reach the app. */
  readonly sessionKeys: string[] = [];
  private readonly codes = new Map<string, { openid: string; used: boolean }>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    readonly appId: string,
    readonly secret: string,
  ) {}

  static async start(appId = "wx-test-appid", secret = "test-app-secret"): Promise<FakeWeChat> {
    let fake: FakeWeChat | undefined;
    const server = createServer((request, response) => fake?.answer(request.url ?? "/", response));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeWeChat(server, `http://127.0.0.1:${port}`, appId, secret);
    return fake;
  }

  /** A fresh code, as wx.login would get for this openid; valid once. */
  issueCode(openid: string): string {
    const code = `code-${randomBytes(8).toString("hex")}`;
    this.codes.set(code, { openid, used: false });
    return code;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(url: string, response: import("node:http").ServerResponse): void {
    const parsed = new URL(url, this.baseUrl);
    const send = (body: object) => {
      response.setHeader("content-type", "text/plain");
      response.end(JSON.stringify(body));
    };
    if (parsed.pathname !== "/sns/jscode2session") {
      response.statusCode = 404;
      response.end();
      return;
    }
    const params = parsed.searchParams;
    if (params.get("appid") !== this.appId || params.get("secret") !== this.secret) {
      send({ errcode: 40125, errmsg: "invalid appsecret" });
      return;
    }
    if (params.get("grant_type") !== "authorization_code") {
      send({ errcode: 40002, errmsg: "invalid grant_type" });
      return;
    }
    const entry = this.codes.get(params.get("js_code") ?? "");
    if (!entry) {
      send({ errcode: 40029, errmsg: "invalid code" });
      return;
    }
    if (entry.used) {
      send({ errcode: 40163, errmsg: "code been used" });
      return;
    }
    entry.used = true;
    const sessionKey = randomBytes(16).toString("base64");
    this.sessionKeys.push(sessionKey);
    send({ openid: entry.openid, session_key: sessionKey });
  }
}
