import type { OutboxEntry } from "@mpchat/client";
import type { Platform } from "./platform";

/**
 * The chat files the app copied under their real names (`USER_DATA_PATH/outgoing/<folder>/<name>`,
 * see pages/chat/media-pick.ts) are the app's to delete: the user data directory outlives the
 * app and counts against its 200 MB. A copy is needed while its message is in the outbox (the
 * upload may be retried, after a restart too); once the message is acknowledged or discarded,
 * the copy and its folder go. Fed with every `outbox` event of the client.
 */
export class OutgoingCopies {
  private referenced = new Set<string>();

  constructor(private readonly platform: Pick<Platform, "getFileSystemManager" | "env">) {}

  /** The outbox as it is now: copies no entry refers to any more are deleted. */
  track(entries: readonly OutboxEntry[]): void {
    const now = new Set<string>();
    for (const entry of entries) {
      const file = entry.upload?.file;
      if (file && "filePath" in file && this.isCopy(file.filePath)) now.add(file.filePath);
    }
    for (const path of this.referenced) if (!now.has(path)) this.remove(path);
    this.referenced = now;
  }

  private isCopy(path: string): boolean {
    return path.startsWith(`${this.platform.env.USER_DATA_PATH}/outgoing/`);
  }

  private remove(path: string): void {
    const fs = this.platform.getFileSystemManager();
    try {
      fs.unlinkSync(path);
      // Each copy has a folder of its own (two files may share a name).
      fs.rmdirSync(path.slice(0, path.lastIndexOf("/")), false);
    } catch {
      // Already gone, or the folder holds something else: nothing more to free.
    }
  }
}
