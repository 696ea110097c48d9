import { defineConfig } from "drizzle-kit";

/** `pnpm db:generate` writes MySQL migrations from the schema into migrations/mysql. */
export default defineConfig({
  dialect: "mysql",
  schema: "./src/store/mysql/schema.ts",
  out: "./migrations/mysql",
});
