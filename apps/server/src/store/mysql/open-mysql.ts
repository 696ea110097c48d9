import type { Store } from "../store";

/** Placeholder until the MySQL adapter lands (next commit). */
export async function openMysql(_options: { url: string; poolSize: number; timeoutMs: number }): Promise<Store> {
  throw new Error("the MySQL store is not implemented yet");
}
