import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort, startWranglerDev, startWsProxy, targetOf } from "@platform/dev-stack";
import { measureInterleaved, warmUp, type Target } from "../load.ts";
import { CONNECTIONS, EQUAL_LOAD_RATE, type Scenario } from "../scenario.ts";

const NAME = "driver-paths";
const FIXTURE = fileURLToPath(new URL("../../fixtures/driver-paths-worker.ts", import.meta.url));
const PATHS = [
  ["/neon-http", "Neon HTTP query path (pooled session)"],
  ["/neon-websocket", "Neon WebSocket, a session per request"],
  ["/hyperdrive", "pg over Hyperdrive (local: direct TCP, a session per request)"],
] as const;

/** The course with the most lessons in the stack's database: the heaviest outline there is. */
async function busiestCourse(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ course_id: string }>(
      "select course_id from courses.lessons group by course_id order by count(*) desc limit 1",
    );
    const courseId = rows[0]?.course_id;
    if (!courseId) throw new Error(`${NAME}: the database has no lessons to read.`);
    return courseId;
  } finally {
    await client.end();
  }
}

export const driverPaths: Scenario = {
  name: NAME,
  description:
    "The same read (a course's sections, then its lessons: two statements) by three database paths, from one " +
    "fixture worker (tools/bench/fixtures/driver-paths-worker.ts) in its own wrangler dev on the stack's rows: the " +
    "Neon driver over HTTP (what reads use), over a WebSocket session of the request's own (what reads used before, " +
    "and what a transaction costs), and node-postgres over a Hyperdrive binding, which locally is a direct TCP " +
    `session per request (Hyperdrive's pooling exists only in Cloudflare's network). At ${EQUAL_LOAD_RATE} req/s and ` +
    "flat out, rounds alternating; the three bodies are checked equal first.",
  async run({ platform, durations, say }) {
    const databaseUrl = await platform.databaseUrl();
    const folder = mkdtempSync(join(tmpdir(), "bench-driver-paths-"));
    chmodSync(folder, 0o755);
    const proxy = await startWsProxy({ port: await freePort(), target: targetOf(databaseUrl) });
    const config = join(folder, "wrangler.json");
    writeFileSync(
      config,
      JSON.stringify({
        name: "bench-driver-paths",
        main: FIXTURE,
        compatibility_date: "2026-11-01",
        compatibility_flags: ["nodejs_compat"],
        vars: { DATABASE_URL: databaseUrl, NEON_WS_PROXY: `127.0.0.1:${proxy.port}` },
        hyperdrive: [{ binding: "HYPERDRIVE", id: "bench-local", localConnectionString: databaseUrl }],
      }),
    );
    const worker = await startWranglerDev({
      configs: [config],
      port: await freePort(),
      inspectorPort: await freePort(),
      persistTo: join(folder, "state"),
      logFile: join(folder, "wrangler.log"),
      registryPath: join(folder, "registry"),
    });
    try {
      const courseId = await busiestCourse(databaseUrl);
      const bodies = await Promise.all(
        PATHS.map(async ([path]) => {
          const response = await fetch(`${worker.url}${path}?course=${courseId}`);
          if (response.status !== 200) throw new Error(`${NAME}: ${path} answered ${response.status}`);
          return response.text();
        }),
      );
      if (new Set(bodies).size !== 1) throw new Error(`${NAME}: the three paths answered different bodies.`);
      say(`${NAME}: course ${courseId}, ${bodies[0]?.length ?? 0} bytes, the same from every path`);
      const targets = (suffix: string): Target[] =>
        PATHS.map(([path, variant]) => ({
          id: `${NAME}${path}/${suffix}`,
          route: "direct",
          baseUrl: worker.url,
          path: `${path}?course=${courseId}`,
          variant,
          expectedStatuses: [200],
        }));
      for (const target of targets("warm-up")) await warmUp(target, durations.warmUpSeconds);
      return [
        ...(await measureInterleaved(
          NAME,
          targets(`${EQUAL_LOAD_RATE}rps`),
          { rate: EQUAL_LOAD_RATE, connections: CONNECTIONS, schedule: durations.fixedRate },
          say,
        )),
        ...(await measureInterleaved(
          NAME,
          targets("max"),
          { rate: null, connections: CONNECTIONS, schedule: durations.maxThroughput },
          say,
        )),
      ];
    } finally {
      await worker.stop();
      await proxy.close();
      rmSync(folder, { recursive: true, force: true });
    }
  },
};
