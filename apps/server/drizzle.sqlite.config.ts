import { defineConfig } from "drizzle-kit";

/** `pnpm db:generate` writes SQLite migrations from the schema into migrations/sqlite. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/store/sqlite/schema.ts",
  out: "./migrations/sqlite",
});
