import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
  schemaFilter: ["payments"],
  migrations: { schema: "payments", table: "__drizzle_migrations" },
});
