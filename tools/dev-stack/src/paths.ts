import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DOMAIN_SERVICES, type DomainService } from "@platform/contracts";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export const GATEWAY_CONFIG = join(REPO_ROOT, "wrangler.toml");

export function workerDir(service: DomainService): string {
  return join(REPO_ROOT, "workers", service);
}

export function workerConfig(service: DomainService): string {
  return join(workerDir(service), "wrangler.toml");
}

export const DOMAIN_WORKER_CONFIGS = DOMAIN_SERVICES.map(workerConfig);

export function migrationsFolder(service: DomainService): string {
  return join(workerDir(service), "drizzle");
}

export const SITE_DIR = join(REPO_ROOT, "site");

export const DEFAULT_DATA_DIR = join(REPO_ROOT, ".data");
