/**
 * @mpchat/server's public entry: what another package may use without reaching
 * into src/. The app, to embed it; the store and its group commit, for tools
 * that measure the store alone (apps/bench). Helpers for other packages' tests
 * are in "@mpchat/server/testing" (test/support/index.ts).
 */
export { type AppDeps, buildApp } from "./app";
export { GroupCommitter } from "./store/group-commit";
export { type OpenStoreOptions, openStore } from "./store/open-store";
export type { AppendInput, AppendResult, Store } from "./store/store";
