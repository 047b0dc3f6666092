import { basename, dirname, relative } from "node:path";
import { DOMAIN_WORKER_CONFIGS, GATEWAY_CONFIG, REPO_ROOT } from "@platform/dev-stack";
// Not part of the dev stack's public surface: builds the site when its sources are newer than the build.
import { siteWorkerConfig } from "@platform/dev-stack";
import { BUDGETS } from "../budgets.ts";
import { bundleSize } from "../bundle-size.ts";
import type { BundleMeasurement } from "../measurements.ts";
import type { Scenario } from "../scenario.ts";

const NAME = "bundle-size";

export const bundleSizes: Scenario = {
  name: NAME,
  description:
    "`wrangler deploy --dry-run` for the gateway, every domain worker and the site (built first if needed); " +
    "the gzip upload size from wrangler's summary, against the Workers size budget.",
  async run({ say }) {
    const workers = [
      { worker: "gateway", config: GATEWAY_CONFIG, budgetKiB: BUDGETS.gatewayBundleGzipKiB },
      ...DOMAIN_WORKER_CONFIGS.map((config) => ({
        worker: basename(dirname(config)),
        config,
        budgetKiB: BUDGETS.workerBundleGzipKiB,
      })),
      { worker: "site", config: await siteWorkerConfig(say), budgetKiB: BUDGETS.workerBundleGzipKiB },
    ];
    const measurements: BundleMeasurement[] = [];
    // One at a time: each dry run is an esbuild bundle, and this machine may have two cores.
    for (const { worker, config, budgetKiB } of workers) {
      say(`${NAME}: ${worker} …`);
      const size = await bundleSize(config);
      measurements.push({
        kind: "bundle",
        scenario: NAME,
        worker,
        config: relative(REPO_ROOT, config),
        budgetKiB,
        ...size,
      });
    }
    return measurements;
  },
};
