import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";

/** What the deploy order needs from a wrangler config: the worker's name and the workers it binds to. */
export interface WorkerConfig {
  readonly name: string;
  /** The config file to pass to `wrangler deploy -c`. */
  readonly config: string;
  /** Names of the workers its `[[services]]` bindings call. */
  readonly bindsTo: readonly string[];
}

interface RawConfig {
  name?: unknown;
  services?: unknown;
}

/**
 * Reads a `wrangler.toml` (the gateway, the domain workers) or a generated `wrangler.json` (the site's,
 * written by `astro build`).
 */
export function readWorkerConfig(config: string): WorkerConfig {
  const text = readFileSync(config, "utf8");
  const raw = (config.endsWith(".json") ? JSON.parse(text) : parseToml(text)) as RawConfig;
  if (typeof raw.name !== "string" || raw.name === "") throw new Error(`${config} has no worker name`);
  const services = Array.isArray(raw.services) ? raw.services : [];
  const bindsTo = services.map((binding: unknown) => {
    const service = (binding as { service?: unknown }).service;
    if (typeof service !== "string") throw new Error(`${config}: a [[services]] binding has no service name`);
    return service;
  });
  return { name: raw.name, config, bindsTo: [...new Set(bindsTo)] };
}
