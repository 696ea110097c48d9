import { retryDelayMs } from "./backoff";
import { ChatError, describeError } from "./errors";
import type { ChatEmit } from "./events";
import type { Inbox } from "./inbox";
import type { ResolvedOptions } from "./options";

export type ResumerSettings = Pick<ResolvedOptions, "timers" | "random" | "backoff"> & {
  /** Where the list goes, and what syncs. */
  inbox: Pick<Inbox, "listConversations" | "syncAllBehind">;
  /** The token was refused over HTTP: stop the client as for a 4401 close. */
  refuse(message: string): void;
  /** Reports a list fetch that failed and will be retried (an `error` event). */
  emit: ChatEmit;
};

/**
 * The resume after every `ready`: learn the conversation list (retried with
 * backoff while that connection lives), then sync each conversation that may
 * lack messages. Knows which connection is up: `online` is true from `start`
 * to `stop`, and a resume of a connection since lost gives up.
 */
export class Resumer {
  /** Generation of the authenticated connection, 0 while there is none. */
  private generation = 0;

  constructor(private readonly settings: ResumerSettings) {}

  get online(): boolean {
    return this.generation !== 0;
  }

  /** The connection of this generation is authenticated: resume on it. */
  start(generation: number): void {
    this.generation = generation;
    void this.run(generation);
  }

  /** The authenticated connection is gone. */
  stop(): void {
    this.generation = 0;
  }

  private async run(generation: number): Promise<void> {
    const { random, backoff } = this.settings;
    for (let attempt = 0; this.generation === generation; attempt++) {
      try {
        await this.settings.inbox.listConversations();
        break;
      } catch (error) {
        const chatError = error instanceof ChatError ? error : new ChatError("network", describeError(error));
        if (this.generation !== generation) return;
        if (chatError.code === "unauthorized") {
          this.settings.refuse(chatError.message);
          return;
        }
        this.settings.emit("error", chatError);
        await this.delay(retryDelayMs(attempt, random, backoff));
      }
    }
    if (this.generation !== generation) return;
    this.settings.inbox.syncAllBehind();
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.settings.timers.setTimeout(resolve, ms));
  }
}
