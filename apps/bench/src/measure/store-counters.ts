import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/mysql2";
import { createConnection } from "mysql2/promise";
import { mysqlAdminUrl } from "../systems/mariadb";
import type { RunningSystem } from "../systems/systems";

/** What the durable path cost per group-commit batch in one measured window. */
export interface BatchCounters {
  /** Group-commit transactions committed (the server's mpchat_commit_batch_size histogram). */
  batches: number;
  /** Messages in them. */
  messages: number;
  /**
   * MariaDB only: statements the server executed (`Questions`, prepared executions
   * included) and, of them, prepared executions, per batch. MariaDB's counters are
   * global: other clients of the same server in the window count too.
   */
  statementsPerBatch: number | null;
  preparedPerBatch: number | null;
}

interface Snapshot {
  batches: number;
  messages: number;
  questions: number | null;
  prepared: number | null;
}

/** Starts counting; the returned function stops and tells the counts per batch. */
export async function startBatchCounters(system: RunningSystem): Promise<() => Promise<BatchCounters | null>> {
  const withDatabase = system.target === "mpchat-mariadb";
  const start = await snapshot(system, withDatabase);
  return async () => {
    const end = await snapshot(system, withDatabase);
    if (!start || !end) return null;
    const batches = end.batches - start.batches;
    const per = (a: number | null, b: number | null) =>
      a === null || b === null || batches === 0 ? null : (b - a) / batches;
    return {
      batches,
      messages: end.messages - start.messages,
      statementsPerBatch: per(start.questions, end.questions),
      preparedPerBatch: per(start.prepared, end.prepared),
    };
  };
}

async function snapshot(system: RunningSystem, withDatabase: boolean): Promise<Snapshot | null> {
  if (system.system !== "mpchat") return null;
  const metrics = await (await fetch(`${system.server.httpUrl}/metrics`)).text();
  const snap: Snapshot = {
    batches: metricValue(metrics, "mpchat_commit_batch_size_count"),
    messages: metricValue(metrics, "mpchat_commit_batch_size_sum"),
    questions: null,
    prepared: null,
  };
  if (withDatabase) {
    const connection = await createConnection({ uri: mysqlAdminUrl(), connectTimeout: 3000 });
    try {
      const [rows] = await drizzle({ client: connection }).execute(
        sql`show global status where variable_name in ('Questions', 'Com_stmt_execute')`,
      );
      for (const row of rows as unknown as Array<{ Variable_name: string; Value: string }>) {
        if (row.Variable_name === "Questions") snap.questions = Number(row.Value);
        if (row.Variable_name === "Com_stmt_execute") snap.prepared = Number(row.Value);
      }
    } finally {
      await connection.end();
    }
  }
  return snap;
}

function metricValue(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}
