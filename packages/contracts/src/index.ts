export * from "./services.ts";
export * from "./health.ts";
