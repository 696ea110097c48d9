/**
 * "删除" of a message: it disappears from this phone only (the server and the other members
 * keep it). The ids are kept in wx storage per user and conversation, so a restart or a
 * resync does not bring the message back.
 */
export interface HiddenStorage {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: unknown): void;
}

export class HiddenMessages {
  private readonly cache = new Map<string, Set<string>>();

  constructor(
    private readonly storage: HiddenStorage,
    private readonly userId: string,
  ) {}

  of(conversationId: string): ReadonlySet<string> {
    return this.load(conversationId);
  }

  hide(conversationId: string, messageId: string): void {
    const ids = this.load(conversationId);
    ids.add(messageId);
    this.storage.setStorageSync(this.key(conversationId), [...ids]);
  }

  private load(conversationId: string): Set<string> {
    let ids = this.cache.get(conversationId);
    if (!ids) {
      const stored = this.storage.getStorageSync(this.key(conversationId));
      ids = new Set(Array.isArray(stored) ? stored.filter((id): id is string => typeof id === "string") : []);
      this.cache.set(conversationId, ids);
    }
    return ids;
  }

  private key(conversationId: string): string {
    return `mpchat:hidden:${this.userId}:${conversationId}`;
  }
}
