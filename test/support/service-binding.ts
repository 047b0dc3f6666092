import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { getPlatformProxy } from "wrangler";

/**
 * A real service binding to one of the running stack's workers, from a test: wrangler's platform
 * proxy joins the stack's own dev registry, so calls are RPC into the same workerd the gateway
 * uses, as another worker would make them.
 */
export async function bindTo<T>(service: string): Promise<{ binding: T; dispose(): Promise<void> }> {
  process.env.WRANGLER_REGISTRY_PATH = inject("registryPath");
  const folder = mkdtempSync(join(tmpdir(), "rpc-caller-"));
  const config = join(folder, "wrangler.json");
  writeFileSync(
    config,
    JSON.stringify({
      name: `rpc-caller-${service}`,
      compatibility_date: "2026-11-01",
      services: [{ binding: "TARGET", service }],
    }),
  );
  const proxy = await getPlatformProxy<{ TARGET: T }>({ configPath: config, persist: { path: join(folder, "state") } });
  return {
    binding: proxy.env.TARGET,
    dispose: async () => {
      await proxy.dispose();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
