/**
 * The storage port for the outbox. Synchronous adapters (wx.setStorageSync,
 * localStorage, memory) are preferred: with them an outbox entry is on disk
 * before `send()` returns. Asynchronous ones are awaited before the network is tried.
 */
export interface KeyValueStorage {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}
