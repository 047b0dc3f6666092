import { DOMAIN_WORKER_CONFIGS, GATEWAY_CONFIG, siteWorkerConfig } from "@platform/dev-stack";
import { deployOrder } from "./deploy-order.ts";
import { readWorkerConfig, type WorkerConfig } from "./wrangler-config.ts";

/**
 * Every worker this repository deploys, in deploy order. The site's config is the one `astro build`
 * writes (site/dist/server/wrangler.json), so the site is built first when its sources changed.
 * Within a cycle the listed order is kept: domain workers as docs/deploying.md lists them, then the
 * site, then the gateway (the only worker with a public route, so the last to change what visitors see).
 */
export async function repositoryWorkers(say: (message: string) => void = () => {}): Promise<WorkerConfig[]> {
  const site = await siteWorkerConfig(say);
  return deployOrder([...DOMAIN_WORKER_CONFIGS, site, GATEWAY_CONFIG].map(readWorkerConfig));
}
