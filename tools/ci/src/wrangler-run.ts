import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "@platform/dev-stack";

const WRANGLER = join(REPO_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

/**
 * Runs the repository's own wrangler (the locked version, not whatever `npx` finds), printing its output
 * as it comes and returning it too (the caller reads the deployed version id from it).
 */
export function runWrangler(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (data: Buffer) => {
      process.stdout.write(data);
      output += data.toString("utf8");
    });
    child.stderr.on("data", (data: Buffer) => {
      process.stderr.write(data);
      output += data.toString("utf8");
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** `wrangler deploy` ends with "Current Version ID: <uuid>": what `wrangler rollback` takes. */
export function versionIdOf(output: string): string | undefined {
  return /Current Version ID:\s*([0-9a-f-]{36})/i.exec(output)?.[1];
}
