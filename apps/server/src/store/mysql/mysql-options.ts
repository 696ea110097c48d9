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
    // mysql2 captures a stack per query (formatted through tsx's source maps) only to
    // decorate errors: a tenth of the Node CPU of a group-commit batch. Our errors are
    // mapped to StoreUnavailableError or logged with the driver's code and message.
    trace: false,
  };
}
