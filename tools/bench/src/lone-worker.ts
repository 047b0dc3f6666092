import { readFileSync, writeFileSync } from "node:fs";
import { freePort, startWranglerDev } from "@platform/dev-stack";
// Not part of the dev stack's public surface; the bench reuses it rather than copying it.
import { writeRunConfigs } from "@platform/dev-stack";

export interface LoneWorker {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface LoneWorkerOptions {
  /** The committed wrangler config to start from. */
  readonly config: string;
  /** Renamed, so it never answers for the real worker in wrangler's dev registry. */
  readonly name: string;
  /** Replaces the config's entry point (a bench fixture); absolute. */
  readonly main?: string;
  readonly vars: Record<string, string>;
  readonly runDir: string;
  readonly persistTo: string;
  readonly logFile: string;
  /** The dev registry to join: the stack's, so the lone worker's service bindings reach its workers. */
  readonly registryPath: string;
  /** Drop the worker's console output instead of relaying it (production-shaped runs). */
  readonly discardWorkerStdout?: boolean;
}

/**
 * One worker alone in its own `wrangler dev`, on its own port. Domain workers have no public
 * route, so this is how the bench calls one without the gateway in front.
 */
export async function startLoneWorker(options: LoneWorkerOptions): Promise<LoneWorker> {
  const [config] = writeRunConfigs([options.config], options.runDir, () => options.vars);
  if (!config) throw new Error(`No run config was written for ${options.config}.`);
  const json = JSON.parse(readFileSync(config, "utf8")) as Record<string, unknown>;
  writeFileSync(
    config,
    JSON.stringify({ ...json, name: options.name, ...(options.main ? { main: options.main } : {}) }, null, 2),
  );
  return await startWranglerDev({
    configs: [config],
    port: await freePort(),
    inspectorPort: await freePort(),
    persistTo: options.persistTo,
    logFile: options.logFile,
    registryPath: options.registryPath,
    discardWorkerStdout: options.discardWorkerStdout ?? false,
  });
}
