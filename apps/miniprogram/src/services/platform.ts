/**
 * The parts of `wx` that keep state or talk to the network. The app captures `wx` once, in
 * `App.onLaunch`, and hands it to the services: nothing stateful reaches for the global later.
 * (That is also what lets a test run two simulated apps, each with its own storage, in one process.)
 */
export type Platform = Pick<
  WechatMiniprogram.Wx,
  | "request"
  | "connectSocket"
  | "login"
  | "getStorageSync"
  | "setStorageSync"
  | "removeStorageSync"
  | "onNetworkStatusChange"
  | "uploadFile"
  | "getFileSystemManager"
  | "env"
  | "requestSubscribeMessage"
  | "getSetting"
>;
