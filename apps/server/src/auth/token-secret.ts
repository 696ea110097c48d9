import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Where the generated secret lives, so that tokens survive a restart. */
export function tokenSecretPath(dataDir: string): string {
  return path.join(dataDir, "token-secret");
}

/**
 * The config with its token secret: TOKEN_SECRET if set, else the one kept in
 * DATA_DIR. Generic over the config (a ParsedConfig in, a Config out) so that
 * auth/ does not import config.ts, which imports gateway/, which imports auth/.
 */
export function withTokenSecret<C extends { dataDir: string; tokenSecret: string | undefined }>(
  config: C,
): Omit<C, "tokenSecret"> & { tokenSecret: string } {
  return { ...config, tokenSecret: config.tokenSecret ?? resolveTokenSecret(config.dataDir) };
}

/**
 * The token secret kept in the data folder: read it, or generate it once.
 * Two processes starting together agree: only one `wx` create can win.
 */
export function resolveTokenSecret(dataDir: string): string {
  const file = tokenSecretPath(dataDir);
  const existing = readSecret(file);
  if (existing) return existing;
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    fs.writeFileSync(file, `${secret}\n`, { flag: "wx", mode: 0o600 });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = readSecret(file);
    if (!winner) throw new Error(`${file} exists but is empty`);
    return winner;
  }
}

function readSecret(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8").trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
