import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
  schemaFilter: ["courses"],
  migrations: { schema: "courses", table: "__drizzle_migrations" },
});
