/**
 * The port: each user's authenticated connections on every instance. Its Redis
 * adapter is bus/redis-user-connections.ts; without Redis the gateway counts
 * only its own connections (gateway/user-connection-limit.ts).
 */
export interface UserConnectionCounter {
  /** A globally unique id for this instance's `n`-th connection. */
  idFor(n: number): string;
  /** Records the connection; resolves with the ids past `limit` (the user's oldest), already no longer counted. */
  opened(userId: string, connectionId: string, limit: number): Promise<string[]>;
  closed(userId: string, connectionId: string): Promise<void>;
}
