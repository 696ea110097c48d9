/**
 * Keeps one sender's messages into one conversation in the order they arrived,
 * while the work before each append (membership, content checks, body lookups)
 * runs concurrently: a send waits for its predecessor only at the moment of
 * appending, never for the predecessor's check to start. A predecessor that
 * failed does not hold its successors. Sends of other senders or into other
 * conversations never wait for each other here.
 */
export class SendLine {
  /** Per `sender\nconversation`: settles once the newest send of the key has appended (or failed). */
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `prepare` at once; then, once every earlier send of `key` has handed
   * its append to the appender (or failed), calls `commit` with what `prepare` gave.
   * `commit` must call the appender synchronously (before any await of its own).
   */
  async inOrder<P, T>(key: string, prepare: () => Promise<P>, commit: (prepared: P) => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    let release: () => void = () => {};
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The successor's turn comes after ours and after our predecessor's, whatever failed.
    const tail = previous ? Promise.all([previous, turn]).then(() => {}) : turn;
    this.tails.set(key, tail);
    try {
      const prepared = await prepare();
      if (previous) await previous;
      // `commit` must hand its append to the appender before its first await: the
      // appender keeps arrival order per conversation, so releasing right after
      // the call (not after the commit) keeps the order and lets appends batch.
      const committing = commit(prepared);
      release();
      return await committing;
    } finally {
      release();
      void tail.then(() => {
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
    }
  }
}
