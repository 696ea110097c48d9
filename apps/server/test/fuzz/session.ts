import { isWellFormedText } from "@mpchat/protocol";
import fc from "fast-check";
import { api, devLogin, rawRequest } from "../support/api";
import { TestClient } from "../support/client";
import { type StoreKind, startTestServer } from "../support/server";
import { FrameRunner, type FrameStats } from "./frame-runner";
import { frameCase } from "./frames";
import { httpCase } from "./http-cases";

export interface FuzzOptions {
  store: StoreKind;
  frames: number;
  httpRequests: number;
  seed: number;
  /** Frames per window (one barrier ping each). */
  window?: number;
  /** Violations a connection may make before it is closed with 4400 (default 2000). */
  violationTolerance?: number;
  /** Called after each window, e.g. for progress output. */
  progress?: (framesDone: number) => void;
}

export interface FuzzReport {
  store: StoreKind;
  seed: number;
  frames: FrameStats;
  http: { requests: number; families: Map<string, number>; statuses: Map<number, number> };
  bystanderMessages: number;
  storedMessages: number;
  seconds: number;
  findings: string[];
}

/** Violations tolerated per connection before 4400: low enough that reconnecting is exercised. */
const VIOLATION_TOLERANCE = 2000;
const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

/** Every string of a JSON-like value. */
function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsOf(v, out);
    }
  }
  return out;
}

/**
 * One fuzz session against a real server on `store`: frames from arbitrary Unicode and
 * arbitrary HTTP bodies, while two bystanders chat; then everything stored is read back.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const server = await startTestServer({
    store: options.store,
    config: {
      gateway: {
        // Throughput is the point here; the limits themselves are tested in ws-limits.
        frameRatePerSecond: 1e9,
        frameBurst: 1e9,
        sendRatePerSecond: 1e9,
        sendBurst: 1e9,
        violationTolerance: options.violationTolerance ?? VIOLATION_TOLERANCE,
        violationForgivePerSecond: 0,
        maxBufferedBytes: 64 * 1024 * 1024,
      },
    },
  });
  const findings: string[] = [];
  const http = { requests: 0, families: new Map<string, number>(), statuses: new Map<number, number>() };
  let bystanderMessages = 0;
  let storedMessages = 0;
  const runner = { current: undefined as FrameRunner | undefined };
  try {
    const fuzzer = await devLogin(server, "fuzzer");
    const peers = await Promise.all(["peer_a", "peer_b"].map((id) => devLogin(server, id)));
    const groupId = (await api(server, fuzzer.token).createGroup("fuzz", ["peer_a"])).id;
    const alice = await TestClient.connect(server, "alice");
    const bob = await TestClient.connect(server, "bob");
    const chatId = (await alice.api(server).createGroup("bystanders", [bob.userId])).id;
    void peers;

    // The bystanders chat for as long as the fuzz runs, taking turns (a socket that only
    // listens is closed as silent, 4408); each message must arrive.
    let fuzzing = true;
    const chatting = (async () => {
      while (fuzzing) {
        const [from, to] = bystanderMessages % 2 === 0 ? [alice, bob] : [bob, alice];
        const answer = await from.sendText(chatId, `still chatting ${bystanderMessages}`);
        if (answer.type !== "ack") throw new Error(`bystander refused: ${JSON.stringify(answer)}`);
        await to.waitFor((f) => f.type === "message" && f.message.id === answer.messageId, 30_000);
        bystanderMessages++;
        // Only the newest frames matter: keep the bystanders' memory flat over a long run.
        for (const client of [alice, bob]) client.frames.splice(0, client.frames.length);
      }
    })().catch((error: unknown) => {
      findings.push(`a bystander stopped: ${error instanceof Error ? error.message : String(error)}`);
    });

    const frames = new FrameRunner(server.wsUrl, fuzzer.token, { groupId });
    runner.current = frames;
    const window = options.window ?? 250;
    const generate = (count: number, seed: number) => fc.sample(frameCase, { numRuns: count, seed });
    for (let done = 0, w = 0; done < options.frames; w++) {
      const count = Math.min(window, options.frames - done);
      await frames.run(generate(count, options.seed + w));
      done += count;
      options.progress?.(done);
    }
    await frames.close();

    const httpCtx = { groupId, userIds: ["peer_a", "peer_b", "alice", "bob"] };
    const cases = fc.sample(httpCase, { numRuns: options.httpRequests, seed: options.seed });
    for (let i = 0; i < cases.length; i += 20) {
      await Promise.all(
        cases.slice(i, i + 20).map(async (build, j) => {
          const c = build(i + j, httpCtx);
          bump(http.families, c.family);
          const answer = await rawRequest(server, c.method, c.path, {
            token: fuzzer.token,
            ...(c.body !== undefined ? { body: c.body } : {}),
            ...(c.rawBody !== undefined ? { rawBody: c.rawBody, headers: { "content-type": "application/json" } } : {}),
          });
          http.requests++;
          bump(http.statuses, answer.status);
          const code = (answer.body as { error?: { code?: string } } | undefined)?.error?.code;
          const ok = c.statuses.includes(answer.status) && (c.code === undefined || code === c.code);
          if (!ok && findings.length < 50) {
            findings.push(
              `HTTP ${c.family}: wanted ${c.statuses.join("/")} ${c.code ?? ""}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 160)} for ${c.method} ${c.path.slice(0, 120)} ${JSON.stringify(c.body ?? c.rawBody)?.slice(0, 120)}`,
            );
          }
          for (const s of stringsOf(answer.body)) {
            if (!isWellFormedText(s)) findings.push(`HTTP answer holds an ill-formed string: ${JSON.stringify(s)}`);
          }
        }),
      );
    }

    fuzzing = false;
    await chatting;
    for (const client of [alice, bob]) {
      if (client.socket.readyState !== client.socket.OPEN) findings.push("a bystander's socket was closed");
      await client.close();
    }

    // Nothing bad stored: read everything back, through the API and the store, and check every string.
    const reads: unknown[] = [await api(server, fuzzer.token).conversations()];
    for (let afterSeq = 0; ; ) {
      const page = await server.store.listMessages(groupId, { afterSeq, limit: 200 });
      reads.push(page.messages);
      storedMessages += page.messages.length;
      const last = page.messages.at(-1);
      if (!page.hasMore || !last) break;
      afterSeq = last.seq;
    }
    for (const id of ["fuzzer", "peer_a", "alice"]) reads.push(await server.store.getUser(id));
    reads.push(await server.store.listConversations("peer_a"));
    for (const s of stringsOf(reads)) {
      if (!isWellFormedText(s)) findings.push(`stored and read back ill-formed: ${JSON.stringify(s)}`);
    }
    const acks = frames.stats.answers.get("ack") ?? 0;
    if (storedMessages !== acks) findings.push(`${acks} sends acked but ${storedMessages} messages stored`);
    const health = await rawRequest(server, "GET", "/readyz");
    if (health.status !== 200) findings.push(`readyz answered ${health.status} after the fuzz`);
  } catch (error) {
    findings.push(`fuzz session failed: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    await runner.current?.close().catch(() => {});
    await server.close();
  }
  const frameStats = runner.current?.stats;
  return {
    store: options.store,
    seed: options.seed,
    frames: frameStats ?? (await import("./frame-runner")).emptyStats(),
    http,
    bystanderMessages,
    storedMessages,
    seconds: (performance.now() - started) / 1000,
    findings: [...(frameStats?.findings ?? []), ...findings],
  };
}
