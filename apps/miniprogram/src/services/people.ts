import type { ChatClient, User } from "@mpchat/client";

/**
 * Names and avatars for pages: the client's UserDirectory (fed by GET /v1/users, kept fresh by
 * `user` frames), asked in batches. Pages call `want(ids)` while rendering and `onChange` to render
 * again when a profile arrives; ids asked for in one turn go to the server as one request.
 */
export class People {
  private readonly wanted = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private flushing = false;

  constructor(private readonly client: ChatClient) {
    client.on("user", () => this.notify());
  }

  /** The known profile, or undefined (the page shows the id until it arrives). */
  get(id: string): User | undefined {
    return this.client.users.get(id);
  }

  /** What to call a user: their name, else (not known yet, or no name) their id. */
  nameOf(id: string): string {
    const name = this.get(id)?.name ?? "";
    return name !== "" ? name : id;
  }

  /** Asks for the profiles of `ids` that are not known yet (batched; listeners hear the answer). */
  want(ids: readonly string[]): void {
    for (const id of ids) if (!this.get(id)) this.wanted.add(id);
    if (this.wanted.size === 0 || this.flushing) return;
    this.flushing = true;
    setTimeout(() => this.flush(), 0);
  }

  /** Remembers a profile learnt elsewhere (an invite's inviter, our own after login). */
  learn(user: User): void {
    if (this.client.users.learn(user)) this.notify();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private flush(): void {
    const ids = [...this.wanted];
    this.wanted.clear();
    this.client.users.resolve(ids).then(
      (found) => {
        this.flushing = false;
        if (found.length > 0) this.notify();
        if (this.wanted.size > 0) this.want([]);
      },
      // Offline or refused: ids stay shown until the next render asks again.
      () => {
        this.flushing = false;
      },
    );
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
