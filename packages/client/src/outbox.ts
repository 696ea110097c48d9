import type { OutboxEntry } from "./outbox-entry";
import type { KeyValueStorage } from "./ports/storage";

/**
 * The outbox: messages sent but not acknowledged, persisted as one JSON array
 * under one storage key. Every change is written at once; with a synchronous
 * storage the write is done when `add` returns. `whenWritten` tells the sender
 * when an entry may go to the network (never before it is stored).
 */
export class Outbox {
  private list: OutboxEntry[] = [];
  private readonly written = new Set<string>();
  /** The last asynchronous write in progress, if any. */
  private chain: Promise<void> | null = null;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
    private readonly onWriteError: (error: unknown) => void,
  ) {}

  /** Read the entries a previous client left. Entries added meanwhile are kept after them. */
  load(): Promise<void> {
    if (!this.loading) {
      this.loading = Promise.resolve()
        .then(() => this.storage.get(this.key))
        .then(
          (text) => this.merge(parseEntries(text)),
          (error: unknown) => this.onWriteError(error),
        );
    }
    return this.loading;
  }

  /** Same as `load` when the storage answers synchronously; returns false when it cannot. */
  loadSync(): boolean {
    let text: ReturnType<KeyValueStorage["get"]>;
    try {
      text = this.storage.get(this.key);
    } catch (error) {
      this.onWriteError(error);
      return true;
    }
    if (isPromise(text)) return false;
    this.merge(parseEntries(text));
    this.loading = Promise.resolve();
    return true;
  }

  entries(): readonly OutboxEntry[] {
    return this.list;
  }

  get(clientMsgId: string): OutboxEntry | undefined {
    return this.list.find((entry) => entry.clientMsgId === clientMsgId);
  }

  /** True once the entry is in storage (it may be sent). */
  isWritten(clientMsgId: string): boolean {
    return this.written.has(clientMsgId);
  }

  /** Store a new entry; the promise settles when it is in storage. */
  add(entry: OutboxEntry): Promise<void> {
    this.list.push(entry);
    return this.write([entry.clientMsgId]);
  }

  update(clientMsgId: string, patch: Partial<OutboxEntry>): OutboxEntry | undefined {
    const index = this.list.findIndex((entry) => entry.clientMsgId === clientMsgId);
    const current = this.list[index];
    if (!current) return undefined;
    const next = { ...current, ...patch };
    this.list[index] = next;
    void this.write([]);
    return next;
  }

  remove(clientMsgId: string): OutboxEntry | undefined {
    const entry = this.get(clientMsgId);
    if (!entry) return undefined;
    this.list = this.list.filter((item) => item !== entry);
    this.written.delete(clientMsgId);
    void this.write([]);
    return entry;
  }

  private merge(stored: OutboxEntry[]): void {
    const known = new Set(this.list.map((entry) => entry.clientMsgId));
    const restored = stored.filter((entry) => !known.has(entry.clientMsgId));
    for (const entry of restored) this.written.add(entry.clientMsgId);
    this.list = restored.concat(this.list);
  }

  /**
   * Write the whole list. A synchronous storage is written before this returns;
   * asynchronous writes are chained so that an older snapshot never lands after a newer one.
   */
  private write(newIds: readonly string[]): Promise<void> {
    const snapshot = this.list.length > 0 ? JSON.stringify(this.list) : null;
    const markWritten = () => {
      for (const id of newIds) if (this.get(id)) this.written.add(id);
    };
    const failed = (error: unknown) => {
      this.onWriteError(error);
      // A message is better sent than lost: a storage failure does not hold it back.
      markWritten();
    };
    if (this.chain === null) {
      let result: void | Promise<void>;
      try {
        result = this.store(snapshot);
      } catch (error) {
        failed(error);
        return Promise.resolve();
      }
      if (!isPromise(result)) {
        markWritten();
        return Promise.resolve();
      }
      return this.enqueue(result.then(markWritten, failed));
    }
    return this.enqueue(this.chain.then(() => this.store(snapshot)).then(markWritten, failed));
  }

  private enqueue(write: Promise<void>): Promise<void> {
    const chained: Promise<void> = write.then(() => {
      if (this.chain === chained) this.chain = null;
    });
    this.chain = chained;
    return chained;
  }

  private store(snapshot: string | null): void | Promise<void> {
    return snapshot === null ? this.storage.remove(this.key) : this.storage.set(this.key, snapshot);
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** Entries as stored; anything unreadable is dropped rather than blocking the client. */
function parseEntries(text: string | null | undefined): OutboxEntry[] {
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.filter(isEntry);
}

function isEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Partial<OutboxEntry>;
  return (
    typeof entry.clientMsgId === "string" &&
    typeof entry.conversationId === "string" &&
    typeof entry.body === "object" &&
    entry.body !== null &&
    entry.body.kind === "text" &&
    typeof entry.body.text === "string" &&
    typeof entry.createdAt === "number" &&
    (entry.status === "pending" || entry.status === "failed") &&
    typeof entry.attempts === "number"
  );
}
