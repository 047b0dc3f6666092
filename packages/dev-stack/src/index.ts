export * from "./stack.ts";
export * from "./ports.ts";
export * from "./postgres.ts";
export * from "./database-url.ts";
export * from "./ws-proxy.ts";
export * from "./demo-data.ts";
export * from "./paths.ts";
export * from "./wrangler-dev.ts";
