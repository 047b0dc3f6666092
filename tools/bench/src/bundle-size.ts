import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { REPO_ROOT } from "@platform/dev-stack";

export interface BundleSize {
  readonly uploadKiB: number;
  readonly gzipKiB: number;
  /** `wrangler` when read from wrangler's own summary line, `measured` when gzipped here instead. */
  readonly source: "wrangler" | "measured";
}

const WRANGLER_BIN = join(REPO_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const TOTAL_UPLOAD = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/;

/** Wrangler's own summary line, which is the figure Cloudflare's size limit applies to. */
export function parseTotalUpload(output: string): { uploadKiB: number; gzipKiB: number } | undefined {
  const match = TOTAL_UPLOAD.exec(output);
  if (!match?.[1] || !match[2]) return undefined;
  return { uploadKiB: Number(match[1]), gzipKiB: Number(match[2]) };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Fallback when wrangler's wording changes: the modules it wrote, without source maps or its README. */
function measureOutdir(outdir: string): { uploadKiB: number; gzipKiB: number } {
  const modules = filesUnder(outdir).filter((file) => !file.endsWith(".map") && !file.endsWith("README.md"));
  const contents = modules.map((file) => readFileSync(file));
  const raw = contents.reduce((sum, buffer) => sum + buffer.length, 0);
  const gzip = contents.reduce((sum, buffer) => sum + gzipSync(buffer).length, 0);
  return { uploadKiB: raw / 1024, gzipKiB: gzip / 1024 };
}

function runWrangler(args: readonly string[]): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0", NO_COLOR: "1" },
    });
    let output = "";
    const keep = (data: Buffer) => {
      output += data.toString("utf8");
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`wrangler ${args.join(" ")} failed (exit ${code}):\n${output.slice(-4_000)}`)),
    );
  });
}

/** `wrangler deploy --dry-run` for one config: builds the upload exactly as a deploy would, without deploying. */
export async function bundleSize(config: string): Promise<BundleSize> {
  const outdir = mkdtempSync(join(tmpdir(), "platform-bundle-"));
  try {
    const output = await runWrangler(["deploy", "--dry-run", "--outdir", outdir, "-c", relative(REPO_ROOT, config)]);
    const reported = parseTotalUpload(output);
    return reported ? { ...reported, source: "wrangler" } : { ...measureOutdir(outdir), source: "measured" };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
