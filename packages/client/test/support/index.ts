/**
 * "@mpchat/client/testing": helpers for other packages' tests — a TCP proxy in
 * front of a server that injects faults (drops, stalls, resets). Never imported
 * from any package's src/.
 */
export { type FaultCounts, type FaultOptions, FaultProxy, type RequestCut } from "./fault-proxy";
