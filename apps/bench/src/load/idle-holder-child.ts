import { MpchatClient } from "../client/mpchat-client";
import { SocketIoClient } from "../client/socketio-client";
import { useSourceAddresses } from "../client/sockets";
import type { FrameSink, SystemClient, SystemName } from "../client/system-client";
import { WsBroadcastClient } from "../client/ws-client";

/**
 * A child of the bench that holds one share of the idle connections: one
 * process may hold only as many sockets as its open-file limit allows, and
 * 20,000 idle connections need more than one. Driven over IPC by idle-holders.ts:
 * prepare (mpchat: dev logins) → connect → close.
 */
export interface HolderSpec {
  system: SystemName;
  httpUrl: string;
  wsUrl: string;
  userPrefix: string;
  connections: number;
  /** Used in turn, one per socket. */
  sourceAddresses: string[];
}

export type HolderRequest = { type: "prepare"; spec: HolderSpec } | { type: "connect" } | { type: "close" };
export type HolderAnswer =
  | { type: "prepared" }
  | { type: "connected"; closes: number }
  | { type: "closed"; closes: number }
  | { type: "failed"; error: string };

class CountingSink implements FrameSink {
  closes = 0;
  onAck(): void {}
  onPush(): void {}
  onError(): void {}
  onUnexpectedClose(): void {
    this.closes++;
  }
}

function clientOf(spec: HolderSpec): SystemClient {
  if (spec.system === "mpchat") return new MpchatClient(spec.httpUrl, spec.wsUrl, spec.userPrefix);
  return spec.system === "ws" ? new WsBroadcastClient(spec.wsUrl) : new SocketIoClient(spec.wsUrl);
}

let client: SystemClient | null = null;
const sink = new CountingSink();
const answer = (message: HolderAnswer) => process.send?.(message);

process.on("message", (message: HolderRequest) => {
  const handle = async (): Promise<HolderAnswer> => {
    if (message.type === "prepare") {
      useSourceAddresses(message.spec.sourceAddresses);
      client = clientOf(message.spec);
      await client.prepareUsers(message.spec.connections);
      return { type: "prepared" };
    }
    if (!client) throw new Error("not prepared");
    if (message.type === "connect") {
      await client.connect(sink);
      return { type: "connected", closes: sink.closes };
    }
    await client.close();
    return { type: "closed", closes: sink.closes };
  };
  handle().then(answer, (error: unknown) =>
    answer({ type: "failed", error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
