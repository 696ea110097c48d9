/**
 * The multi-instance tests need the MariaDB and the Redis of the machine (CI
 * exports both URLs). Without them they are skipped, and the reason is the name
 * of the skipped suite, so that it shows in the report.
 */
export const MYSQL_URL = process.env.MYSQL_URL?.trim() || undefined;
export const REDIS_URL = process.env.REDIS_URL?.trim() || undefined;

const missing = [!MYSQL_URL && "MYSQL_URL", !REDIS_URL && "REDIS_URL"].filter(Boolean);

/** Undefined when the cluster tests can run; otherwise why they are skipped. */
export const CLUSTER_SKIP_REASON =
  missing.length === 0
    ? undefined
    : `skipped: ${missing.join(" and ")} not set (e.g. MYSQL_URL=mysql://root@127.0.0.1:3306/test REDIS_URL=redis://127.0.0.1:6379)`;

/** A suite title that carries the skip reason when there is one; the reason is also printed. */
export function suiteTitle(title: string, skipReason: string | undefined = CLUSTER_SKIP_REASON): string {
  if (!skipReason) return title;
  // Said out loud: not every reporter shows a skipped suite's title.
  console.warn(`${title}: ${skipReason}`);
  return `${title} (${skipReason})`;
}

/** Budget of one cluster test: child processes on a loaded 2-core machine. */
export const CLUSTER_TEST_TIMEOUT = 180_000;
/** How long to wait for one expected frame or state. */
export const WAIT_MS = 45_000;
