export * from "./services.ts";
export * from "./health.ts";
export * from "./auth-rpc.ts";
export * from "./claims.ts";
export * from "./event-consumer.ts";
export * from "./courses-rpc.ts";
export * from "./money.ts";
export * from "./personal-data.ts";
