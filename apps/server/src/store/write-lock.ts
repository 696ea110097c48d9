/**
 * Runs async tasks one at a time, in arrival order. SQLite allows one writer:
 * libsql runs statements synchronously on the event loop thread, so a second
 * connection waiting on the busy timeout would block the very thread that has
 * to finish the first transaction. Every SQLite write therefore takes this lock.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
