export * from "./client.ts";
export * from "./middleware.ts";
export * from "./outbox.ts";
export * from "./health.ts";
export * from "./migration-config.ts";
export * from "./health-route.ts";
