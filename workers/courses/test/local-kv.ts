import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getPlatformProxy } from "wrangler";

/** The slice of Workers KV these tests use: the cache's own, plus `list` to look at what it stored. */
export interface LocalKv {
  get(key: string): Promise<string | null>;
  get<T>(key: string, type: "json"): Promise<T | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  list(options: { prefix: string }): Promise<{ keys: { name: string }[] }>;
}

/**
 * A real KV namespace for a routes test: wrangler's platform proxy runs workerd's local KV (the
 * one `wrangler dev` uses) and hands its binding to Node, where the in-process app uses it as its
 * `CATALOG_CACHE`. Kept in a throw-away folder.
 */
export async function localKv(): Promise<{ kv: LocalKv; dispose(): Promise<void> }> {
  const folder = mkdtempSync(join(tmpdir(), "courses-kv-"));
  const config = join(folder, "wrangler.json");
  writeFileSync(
    config,
    JSON.stringify({
      name: "courses-kv-test",
      compatibility_date: "2026-11-01",
      kv_namespaces: [{ binding: "CATALOG_CACHE", id: "catalog-cache" }],
    }),
  );
  const proxy = await getPlatformProxy<{ CATALOG_CACHE: LocalKv }>({
    configPath: config,
    persist: { path: join(folder, "state") },
  });
  return {
    kv: proxy.env.CATALOG_CACHE,
    dispose: async () => {
      await proxy.dispose();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
