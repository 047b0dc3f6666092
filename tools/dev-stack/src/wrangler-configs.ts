import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";

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
 */
export function writeRunConfigs(
  configs: readonly string[],
  runDir: string,
  varsFor: (workerName: string) => Record<string, string>,
): string[] {
  mkdirSync(runDir, { recursive: true });
  return configs.map((configPath, index) => {
    const config = readConfig(configPath);
    const from = dirname(configPath);
    const name = config.name ?? basename(from);
    const out: RawConfig = { ...config };
    if (config.main) out.main = absolute(from, config.main);
    const assets = config.assets as { directory?: string } | undefined;
    if (assets?.directory) out.assets = { ...assets, directory: absolute(from, assets.directory) };
    if (typeof config.base_dir === "string") out.base_dir = absolute(from, config.base_dir);
    out.vars = { ...(config.vars ?? {}), ...varsFor(name) };
    const outDir = join(runDir, `${index}-${name}`);
    mkdirSync(outDir, { recursive: true });
    const outPath = join(outDir, "wrangler.json");
    writeFileSync(outPath, JSON.stringify(out, null, 2));
    return outPath;
  });
}
