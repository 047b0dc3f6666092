import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { arch, availableParallelism, cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "@platform/dev-stack";

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly wrangler: string;
  readonly autocannon: string;
  /** 1-minute load average when the bench started (it lags: it still counts the last minute's work). */
  readonly loadAverageAtStart: number;
  /** Share of all cores busy during one second before the bench started: other work skews the figures. */
  readonly cpuBusyAtStart: number;
}

export interface Provenance {
  readonly command: string;
  readonly commit: string;
}

function versionOf(packageName: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", packageName, "package.json"), "utf8")) as {
      version?: unknown;
    };
    return typeof manifest.version === "string" ? manifest.version : "unknown";
  } catch {
    return "unknown";
  }
}

function cpuTotals(): { busy: number; total: number } {
  return cpus().reduce(
    (sum, cpu) => {
      const { idle, ...rest } = cpu.times;
      const busy = Object.values(rest).reduce((a, b) => a + b, 0);
      return { busy: sum.busy + busy, total: sum.total + busy + idle };
    },
    { busy: 0, total: 0 },
  );
}

async function sampleCpuBusy(ms: number): Promise<number> {
  const before = cpuTotals();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpuTotals();
  const total = after.total - before.total;
  return total > 0 ? Math.round(((after.busy - before.busy) / total) * 100) / 100 : 0;
}

export async function describeMachine(): Promise<Machine> {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    wrangler: versionOf("wrangler"),
    autocannon: versionOf("autocannon"),
    loadAverageAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    cpuBusyAtStart: await sampleCpuBusy(1_000),
  };
}

/** The command as the person typed it: `npm run bench -- …` when npm started us, else the node command. */
export function commandLine(args: readonly string[]): string {
  const quoted = args.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`));
  if (process.env.npm_lifecycle_event === "bench")
    return ["npm run bench", ...(quoted.length ? ["--", ...quoted] : [])].join(" ");
  return ["node tools/bench/bin/bench.ts", ...quoted].join(" ");
}

/** The commit measured, marked `-dirty` when the working tree has changes. */
export function currentCommit(): string {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
  try {
    const commit = git("rev-parse", "--short=12", "HEAD");
    return git("status", "--porcelain").length > 0 ? `${commit}-dirty` : commit;
  } catch {
    return "unknown";
  }
}
