import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeWeChat {
  baseUrl: string;
  /** Query strings of every jscode2session call received. */
  calls: URLSearchParams[];
  close(): Promise<void>;
}

/**
 * A fake `api.weixin.qq.com` on 127.0.0.1: `answers` maps a js_code to the JSON
 * body to send (as WeChat does, labelled text/plain). Unknown codes never answer
 * (to test the client's timeout).
 */
export async function startFakeWeChat(answers: Record<string, object>): Promise<FakeWeChat> {
  const calls: URLSearchParams[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/sns/jscode2session") {
      response.writeHead(404).end();
      return;
    }
    calls.push(url.searchParams);
    const answer = answers[url.searchParams.get("js_code") ?? ""];
    if (!answer) return; // hang: the client must give up on its own
    response.writeHead(200, { "content-type": "text/plain" }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
