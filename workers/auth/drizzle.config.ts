import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
  schemaFilter: ["auth"],
  migrations: { schema: "auth", table: "__drizzle_migrations" },
});
