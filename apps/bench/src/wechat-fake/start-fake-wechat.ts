import { fileURLToPath } from "node:url";
import { ServerProcess } from "../proc/server-process";
import { FAKE_APIS, type FakeApi } from "./fake-answers";

const ENTRY = fileURLToPath(new URL("./fake-wechat-server.ts", import.meta.url));
const CWD = fileURLToPath(new URL("..", import.meta.url));

export interface RunningFakeWeChat {
  /** WECHAT_API_BASE for the servers under test. */
  baseUrl: string;
  process: ServerProcess;
  /** Calls per endpoint since the fake started. */
  calls(): Promise<Record<FakeApi, number>>;
  stop(): Promise<void>;
}

/** Starts the fake WeChat (not pinned: it is the outside world, on whatever core is free). */
export async function startFakeWeChat(delayMs: number, logDir: string): Promise<RunningFakeWeChat> {
  const process = await ServerProcess.start(
    {
      name: "fake-wechat",
      entry: ENTRY,
      cwd: CWD,
      env: { FAKE_WECHAT_DELAY_MS: String(delayMs) },
      readyPath: "/healthz",
    },
    { core: null, logDir },
  );
  return {
    baseUrl: process.httpUrl,
    process,
    calls: async () => {
      const response = await fetch(`${process.httpUrl}/bench/calls`);
      const counts = (await response.json()) as Partial<Record<FakeApi, number>>;
      return Object.fromEntries(FAKE_APIS.map((api) => [api, counts[api] ?? 0])) as Record<FakeApi, number>;
    },
    stop: async () => {
      await process.stop();
    },
  };
}
