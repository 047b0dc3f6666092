export * from "./client.ts";
export * from "./middleware.ts";
export * from "./outbox.ts";
export * from "./processed-events.ts";
export * from "./outbox-relay.ts";
export * from "./health.ts";
export * from "./migration-config.ts";
export * from "./health-route.ts";
