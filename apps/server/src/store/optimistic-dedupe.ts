/**
 * Group-commit batches almost never repeat a stored (senderId, clientMsgId):
 * only a client retrying after a lost ack does. So a batch first runs without
 * looking duplicates up, letting the unique key catch the rare repeat; on a
 * unique-key violation the transaction is rolled back and the batch runs again
 * with the lookup (`checkStored`), which then returns the original messages.
 * This saves one statement with a large OR per batch in the common case.
 */
export async function withOptimisticDedupe<T>(
  run: (checkStored: boolean) => Promise<T>,
  isUniqueViolation: (error: unknown) => boolean,
): Promise<T> {
  try {
    return await run(false);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return run(true);
  }
}
