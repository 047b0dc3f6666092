import { spawn, execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import {
  DataFolderInUseError,
  REPO_ROOT,
  assertPortFree,
  freePort,
  startEmbeddedPostgres,
  startStack,
} from "../src/index.ts";

const gatewayUrl = inject("gatewayUrl");
const START_SCRIPT = join(REPO_ROOT, "tools", "dev-stack", "bin", "start.ts");

const folders: string[] = [];
function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "platform-lifecycle-"));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user when we are root.
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Processes whose command line mentions the folder: what a stack left running, if anything. */
function processesUsing(folder: string): string[] {
  return execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(folder) && !line.includes("ps -eo"));
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm start`'s script with the given environment; bounded by `timeoutMs`. */
function runStart(env: Record<string, string>, timeoutMs: number, onStdout?: (all: string) => void) {
  const child = spawn(process.execPath, [START_SCRIPT], {
    cwd: REPO_ROOT,
    env: { ...process.env, QUIET: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (data: Buffer) => {
    stdout += data.toString("utf8");
    onStdout?.(stdout);
  });
  child.stderr.on("data", (data: Buffer) => (stderr += data.toString("utf8")));
  const finished = new Promise<Finished>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, finished };
}

async function freePorts() {
  return {
    PORT: String(await freePort()),
    PG_PORT: String(await freePort()),
    NEON_PROXY_PORT: String(await freePort()),
    INSPECTOR_PORT: String(await freePort()),
  };
}

describe("npm start", () => {
  it("comes up, prints the URL and demo logins, and Ctrl-C leaves no process or port behind", async () => {
    const dataDir = dataFolder();
    const ports = await freePorts();
    let interrupted = false;
    const { child, finished } = runStart({ ...ports, PLATFORM_DATA_DIR: dataDir }, 150_000, (stdout) => {
      if (!interrupted && stdout.includes("Ctrl-C stops everything")) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    const result = await finished;
    expect(result.stdout).toContain(`http://127.0.0.1:${ports.PORT}`);
    expect(result.stdout).toContain("learner@demo.local");
    expect(result.code).toBe(0);
    expect(processesUsing(dataDir)).toEqual([]);
    for (const port of Object.values(ports)) await assertPortFree(Number(port), "after shutdown");
  });

  it("refuses to start a second time on a port in use, with a message instead of a stack trace", async () => {
    const ports = await freePorts();
    const { finished } = runStart(
      { ...ports, PORT: new URL(gatewayUrl).port, PLATFORM_DATA_DIR: dataFolder() },
      30_000,
    );
    const result = await finished;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port ${new URL(gatewayUrl).port} (gateway) is already in use`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it("names an unreachable DATABASE_URL (without its password) and starts nothing", async () => {
    const deadPort = await freePort();
    const ports = await freePorts();
    const { finished } = runStart(
      {
        ...ports,
        PLATFORM_DATA_DIR: dataFolder(),
        DATABASE_URL: `postgres://app:s3cret-pw@127.0.0.1:${deadPort}/platform`,
      },
      30_000,
    );
    const result = await finished;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`DATABASE_URL=postgres://app:***@127.0.0.1:${deadPort}/platform`);
    expect(result.stderr).not.toContain("s3cret-pw");
    for (const port of Object.values(ports)) await assertPortFree(Number(port), "after a failed start");
  });
});

describe("startStack failures", () => {
  it("stops everything it had started when a late step fails", async () => {
    const dataDir = dataFolder();
    const ports = {
      gatewayPort: await freePort(),
      postgresPort: await freePort(),
      proxyPort: await freePort(),
      inspectorPort: await freePort(),
    };
    // Zero time to become healthy: PostgreSQL, the proxy and wrangler are all up when this fails.
    await expect(startStack({ ...ports, dataDir, seed: false, healthTimeoutMs: 0 })).rejects.toThrow(
      /did not become healthy/,
    );
    expect(processesUsing(dataDir)).toEqual([]);
    for (const port of Object.values(ports)) await assertPortFree(port, "after a failed start");
  });

  it("refuses a PostgreSQL data folder that another running server owns", async () => {
    const dataDir = join(dataFolder(), "postgres");
    const first = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database: "platform",
      logFile: join(dataDir, "..", "pg.log"),
    });
    try {
      const second = startEmbeddedPostgres({
        dataDir,
        port: await freePort(),
        database: "platform",
        logFile: join(dataDir, "..", "pg2.log"),
      });
      await expect(second).rejects.toBeInstanceOf(DataFolderInUseError);
      await expect(second).rejects.toThrow(/is in use by process \d+/);
    } finally {
      await first.stop();
    }
  });
});
