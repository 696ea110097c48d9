/**
 * "@mpchat/server/testing": the server's test helpers for other packages' tests
 * (a real server on port 0, a raw protocol client, the REST API, proxies).
 * Never imported from any package's src/: nothing here ships.
 */
export { type Api, ApiError, api, devLogin, type HistoryQuery, type RawAnswer, rawRequest } from "./api";
export { type CloseInfo, type RequestFrame, TestClient } from "./client";
export { type FakeWeChat, startFakeWeChat } from "./fake-wechat";
export { fixture, MiB, photo, storedFiles } from "./media-uploads";
export {
  createMysqlDatabase,
  MYSQL_URL,
  type StoreKind,
  startTestServer,
  type TestConfig,
  type TestServer,
  type TestServerOptions,
  testConfig,
} from "./server";
export { ServerGroup } from "./server-group";
export { type LogLine, type ProcessExit, ServerProcess } from "./server-process";
export { TcpProxy } from "./tcp-proxy";
