import { defineConfig } from "vitest/config";

/**
 * `npm test` runs four projects:
 *  - unit: code that needs nothing running (HTTP kit, migration drift, repo files).
 *  - routes: a worker's Hono app called in-process (`app.request`, test/support/in-process.ts)
 *    against a real PostgreSQL (embedded, migrated, behind the Neon WebSocket proxy): route
 *    validation and permissions in seconds, without wrangler. Files: `*.routes.test.ts`.
 *  - platform: tests against a real stack (embedded PostgreSQL, the Neon proxy and every worker
 *    in wrangler dev), started once by the global setup on free loopback ports and stopped after.
 *  - kafka: the Kafka bridge and broker against a real Apache Kafka broker (jars from Maven
 *    Central; needs Java 17+ and Maven) and an embedded PostgreSQL, started once by its own setup.
 */
export default defineConfig({
  test: {
    // In CI a JSON report is kept too, so .ci/run can print a plain "N passed, N failed" line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".data/ci/vitest.json" }]] : ["default"],
    // In the routes project the workers run inside the test process, and each request writes its
    // one JSON log line to the console: those are left out of the report (other lines, failures, stay).
    onConsoleLog: (log, _type, entity) =>
      !(entity?.project.name === "routes" && log.startsWith("{") && log.includes('"msg":"request"')),
    projects: [
      {
        test: {
          name: "unit",
          // Projects run one after another (unit, routes, kafka, platform): the two heavy ones each
          // bring a JVM or a whole stack, and on two cores they starve each other's deadlines if run together.
          sequence: { groupOrder: 0 },
          include: [
            "packages/*/test/**/*.test.ts",
            "tools/*/test/**/*.test.ts",
            "workers/*/test/**/*.test.ts",
            "test/repo/**/*.test.ts",
            "site/test/**/*.test.ts",
          ],
          exclude: ["**/*.platform.test.ts", "**/*.kafka.test.ts", "**/*.routes.test.ts"],
        },
      },
      {
        test: {
          name: "routes",
          sequence: { groupOrder: 1 },
          include: ["workers/*/test/**/*.routes.test.ts", "tools/*/test/**/*.routes.test.ts"],
          exclude: ["**/node_modules/**"],
          environment: "node",
          globalSetup: ["test/setup/routes.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "platform",
          sequence: { groupOrder: 3 },
          include: ["test/platform/**/*.test.ts", "**/test/**/*.platform.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["test/setup/platform.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One stack, shared: files run one after another so none disturbs another's assumptions.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "kafka",
          sequence: { groupOrder: 2 },
          include: ["**/test/**/*.kafka.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["test/setup/kafka.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One broker, shared, and a two-core machine: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
