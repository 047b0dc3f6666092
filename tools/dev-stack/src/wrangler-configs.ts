import { readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { ensurePrivateDir, writePrivateFile } from "./private-files.ts";
import { devVarsText, splitSecrets } from "./secret-vars.ts";

type RawConfig = Record<string, unknown> & { name?: string; main?: string; vars?: Record<string, unknown> };

function readConfig(path: string): RawConfig {
  const text = readFileSync(path, "utf8");
  return (path.endsWith(".toml") ? parseToml(text) : JSON.parse(text)) as RawConfig;
}

function absolute(from: string, path: string): string {
  return isAbsolute(path) ? path : resolve(from, path);
}

/**
 * Writes a copy of each committed wrangler config into this run's folder, with paths made
 * absolute and the run's local variables added. Each `npm start` or test run gets its own
 * copies, so runs never fight over shared `.dev.vars` files, and nothing local is committed.
 * Secrets (see secret-vars.ts) go to a `.dev.vars` beside each copy, not into its `vars`, so
 * wrangler never prints them; the folders and files are this user's only (0700/0600).
 */
export function writeRunConfigs(
  configs: readonly string[],
  runDir: string,
  varsFor: (workerName: string) => Record<string, string>,
): string[] {
  // The folder of all runs too: copies an older version of this tool left readable are closed off with it.
  ensurePrivateDir(dirname(runDir));
  ensurePrivateDir(runDir);
  return configs.map((configPath, index) => {
    const config = readConfig(configPath);
    const from = dirname(configPath);
    const name = config.name ?? basename(from);
    const out: RawConfig = { ...config };
    if (config.main) out.main = absolute(from, config.main);
    const assets = config.assets as { directory?: string } | undefined;
    if (assets?.directory) out.assets = { ...assets, directory: absolute(from, assets.directory) };
    if (typeof config.base_dir === "string") out.base_dir = absolute(from, config.base_dir);
    const { vars, secrets } = splitSecrets({ ...(config.vars ?? {}), ...varsFor(name) });
    out.vars = vars;
    const outDir = join(runDir, `${index}-${name}`);
    ensurePrivateDir(outDir);
    const outPath = join(outDir, "wrangler.json");
    writePrivateFile(outPath, JSON.stringify(out, null, 2));
    // Always written, even empty: a stale one from an earlier run must not keep old secrets.
    writePrivateFile(join(outDir, ".dev.vars"), devVarsText(secrets));
    return outPath;
  });
}
