import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, SITE_DIR } from "./paths.ts";

/** Astro writes the runnable worker's config here; the committed site/wrangler.toml is only the build's input. */
export const SITE_WORKER_CONFIG = join(SITE_DIR, "dist", "server", "wrangler.json");

const SITE_SOURCES = ["src", "public", "integrations", "astro.config.mjs", "wrangler.toml", "package.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stats.mtimeMs);
}

export function siteBuildIsStale(): boolean {
  if (!existsSync(SITE_WORKER_CONFIG)) return true;
  const built = statSync(SITE_WORKER_CONFIG).mtimeMs;
  return SITE_SOURCES.some((source) => newestMtime(join(SITE_DIR, source)) > built);
}

/** Builds the site when its sources are newer than the last build, and returns the worker's config. */
export async function siteWorkerConfig(say: (message: string) => void): Promise<string> {
  if (siteBuildIsStale()) {
    say("Building the site (astro build) …");
    await new Promise<void>((resolve, reject) => {
      const child = spawn("npm", ["run", "build", "-w", "@platform/site"], {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      const keep = (data: Buffer) => {
        output = (output + data.toString("utf8")).slice(-8_000);
      };
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      child.once("error", reject);
      child.once("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`The site build failed (exit ${code}):\n${output}`)),
      );
    });
  }
  return SITE_WORKER_CONFIG;
}
