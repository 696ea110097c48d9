import { buildServer } from "../../scripts/build";

/** vitest globalSetup: dist/ as `pnpm build` writes it, fresh for every run. */
export default async function setup(): Promise<void> {
  await buildServer();
}
