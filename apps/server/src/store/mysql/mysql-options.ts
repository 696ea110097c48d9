export interface MysqlOptions {
  url: string;
  /** Connections in the pool (MYSQL_POOL_SIZE). */
  poolSize: number;
  /** Bound on connecting, waiting for a connection, and each query (DB_TIMEOUT_MS). */
  timeoutMs: number;
}

/** The pool options every mpchat connection to MySQL uses (the store's and the migrator's). */
export function connectionOptions(options: MysqlOptions) {
  return {
    uri: options.url,
    // utf8mb4 on the wire: emoji are 4 bytes, "utf8" would be MySQL's 3-byte utf8mb3.
    charset: "UTF8MB4_BIN",
    connectTimeout: options.timeoutMs,
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
    // BIGINT columns hold epoch milliseconds and seqs: always safe integers.
    supportBigNumbers: true,
    bigNumberStrings: false,
  };
}
