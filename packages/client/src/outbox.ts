import type { OutboxEntry, OutboxUpload } from "./outbox-entry";
import type { KeyValueStorage } from "./ports/storage";
import type { UploadFile } from "./ports/upload";

/**
 * The outbox: messages sent but not acknowledged, persisted as one JSON array
 * under one storage key. It reads what a previous client left as soon as it is
 * built; with a synchronous storage that is done when the constructor returns.
 * Every change is written at once, but never before that read has been merged:
 * a snapshot taken earlier would hold only the new entries and overwrite the old
 * ones (an asynchronous storage answers the read a turn later). With a
 * synchronous storage the write is done when `add` returns. `isWritten` tells
 * the sender when an entry may go to the network (never before it is stored).
 */
export class Outbox {
  private list: OutboxEntry[] = [];
  private readonly written = new Set<string>();
  /** The last asynchronous write in progress, if any. */
  private chain: Promise<void> | null = null;
  private loaded = false;
  private readonly loading: Promise<void>;
  /** Writes asked for before the load merged: done as one write right after it. */
  private held: { ids: string[]; done: Promise<void> } | null = null;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
    private readonly onWriteError: (error: unknown) => void,
  ) {
    this.loading = this.load();
  }

  /** True once the entries a previous client left are merged (at once with a synchronous storage). */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Settles once the entries a previous client left are merged; entries added meanwhile are kept after them. */
  whenLoaded(): Promise<void> {
    return this.loading;
  }

  /** One read of the storage, merged synchronously when the storage answers synchronously. */
  private load(): Promise<void> {
    const done = (stored: OutboxEntry[]) => {
      this.merge(stored);
      this.loaded = true;
    };
    // An unreadable storage is reported; the outbox then works without what it held.
    const failed = (error: unknown) => {
      this.onWriteError(error);
      done([]);
    };
    let text: ReturnType<KeyValueStorage["get"]>;
    try {
      text = this.storage.get(this.key);
    } catch (error) {
      failed(error);
      return Promise.resolve();
    }
    if (!isPromise(text)) {
      done(parseEntries(text));
      return Promise.resolve();
    }
    return text.then((value) => done(parseEntries(value)), failed);
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
    if (!this.loaded) return this.holdUntilLoaded(newIds);
    const snapshot = this.list.length > 0 ? JSON.stringify(this.list.map(storable)) : null;
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

  private holdUntilLoaded(newIds: readonly string[]): Promise<void> {
    if (!this.held) {
      const ids: string[] = [];
      const done = this.loading.then(() => {
        this.held = null;
        return this.write(ids);
      });
      this.held = { ids, done };
    }
    this.held.ids.push(...newIds);
    return this.held.done;
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

/**
 * An entry as it is written: a media upload's `data` (a Blob) has no JSON form
 * and is left out (its `filePath` is kept), and so is the progress of an attempt.
 */
function storable(entry: OutboxEntry): OutboxEntry {
  const { upload } = entry;
  if (!upload) return entry;
  const { file } = upload;
  const isObject = typeof file === "object" && file !== null;
  const kept = isObject && "filePath" in file ? file : isObject && file.name !== undefined ? { name: file.name } : {};
  return { ...entry, upload: { ...upload, file: kept as UploadFile, sent: 0, total: 0 } };
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
  return value.filter(isEntry).map(restored);
}

/** A stored entry as this run starts with it: no attempt of the previous run is in progress. */
function restored(entry: OutboxEntry): OutboxEntry {
  const { upload } = entry;
  if (!upload) return entry;
  return { ...entry, upload: { ...upload, state: upload.media ? "uploaded" : "waiting", sent: 0, total: 0 } };
}

function isEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Partial<OutboxEntry>;
  return (
    typeof entry.clientMsgId === "string" &&
    typeof entry.conversationId === "string" &&
    isStoredBody(entry.body, entry.upload) &&
    typeof entry.createdAt === "number" &&
    (entry.status === "pending" || entry.status === "failed") &&
    typeof entry.attempts === "number"
  );
}

/** A text, or a media body with its upload (placeholder fields until the media is recorded). */
function isStoredBody(body: unknown, upload: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const { kind } = body as { kind?: unknown };
  if (kind === "text") return typeof (body as { text?: unknown }).text === "string" && upload === undefined;
  if (kind !== "image" && kind !== "voice" && kind !== "file") return false;
  if (typeof (body as { mediaId?: unknown }).mediaId !== "string") return false;
  if (typeof upload !== "object" || upload === null) return false;
  const { kind: uploadKind, clientMediaId, file, media } = upload as Partial<OutboxUpload>;
  return (
    uploadKind === kind &&
    typeof clientMediaId === "string" &&
    typeof file === "object" &&
    file !== null &&
    (media === undefined || (typeof media === "object" && media !== null && typeof media.id === "string"))
  );
}
