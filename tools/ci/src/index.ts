export { anyOverLimit, bundleSizeMarkdown, measureBundle, measureBundles, type BundleSize } from "./bundle-size.ts";
export { deployOrder } from "./deploy-order.ts";
export { smokeTest, type SmokeCheck, type SmokeOptions } from "./smoke.ts";
export { readWorkerConfig, type WorkerConfig } from "./wrangler-config.ts";
export { repositoryWorkers } from "./workers.ts";
