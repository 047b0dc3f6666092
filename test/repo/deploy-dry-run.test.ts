import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DOMAIN_WORKER_CONFIGS, GATEWAY_CONFIG, REPO_ROOT } from "@platform/dev-stack";
import { siteWorkerConfig } from "@platform/dev-stack";

const run = promisify(execFile);
const WRANGLER = join(REPO_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

/**
 * `wrangler deploy --dry-run` bundles a worker exactly as a deploy would, without an account:
 * a worker that imports something Workers cannot run, or whose config is wrong, fails here.
 * Sizes are reported by `npm run bench`, not asserted.
 */
async function dryRun(config: string): Promise<{ output: string; files: string[] }> {
  const outdir = mkdtempSync(join(tmpdir(), "dry-run-"));
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [WRANGLER, "deploy", "--dry-run", "--outdir", outdir, "-c", config],
      { cwd: REPO_ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" }, timeout: 120_000 },
    );
    return { output: stdout + stderr, files: readdirSync(outdir) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe("wrangler deploy --dry-run", () => {
  const configs = [GATEWAY_CONFIG, ...DOMAIN_WORKER_CONFIGS].map((config) => [
    config.replace(`${REPO_ROOT}/`, ""),
    config,
  ]);

  it.each(configs)("%s bundles for deployment", { timeout: 120_000 }, async (_name, config) => {
    const { output, files } = await dryRun(config);
    expect(output).toMatch(/Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/);
    expect(output).toContain("--dry-run: exiting now.");
    expect(files.some((file) => file.endsWith(".js"))).toBe(true);
  });

  it("the built site worker bundles for deployment", { timeout: 180_000 }, async () => {
    const config = await siteWorkerConfig(() => {});
    const { output } = await dryRun(config);
    expect(output).toContain("--dry-run: exiting now.");
  });
});
