import type { ConnectionState } from "@mpchat/client";
import { strings } from "../strings";

/** The banner over a page while the app cannot talk to the server; empty when online. */
export function connectionBanner(state: ConnectionState): string {
  if (state === "online") return "";
  return state === "connecting" ? strings.connection.connecting : strings.connection.offline;
}
