import type { KeyValueStorage } from "../ports/storage";
import type { WxStorageApi } from "./wx-types";

/** Keeps nothing across restarts; for tests and for clients that do not need a durable outbox. */
export function memoryStorage(initial?: Record<string, string>): KeyValueStorage {
  const map = new Map<string, string>();
  if (initial) for (const key of Object.keys(initial)) map.set(key, initial[key] as string);
  return {
    get: (key) => map.get(key),
    set: (key, value) => {
      map.set(key, value);
    },
    remove: (key) => {
      map.delete(key);
    },
  };
}

/**
 * WeChat storage through the *synchronous* calls: the outbox entry is on disk
 * before the send is attempted, even if the app is killed right after.
 */
export function wxStorage(wx: WxStorageApi): KeyValueStorage {
  return {
    get: (key) => {
      const value = wx.getStorageSync(key);
      return typeof value === "string" && value !== "" ? value : null;
    },
    set: (key, value) => wx.setStorageSync(key, value),
    remove: (key) => wx.removeStorageSync(key),
  };
}

/** The parts of the Web Storage API used here. */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Browser `localStorage` (or `sessionStorage`). */
export function localStorageAdapter(storage: WebStorageLike): KeyValueStorage {
  return {
    get: (key) => storage.getItem(key),
    set: (key, value) => storage.setItem(key, value),
    remove: (key) => storage.removeItem(key),
  };
}
