export * from "./backup.ts";
export * from "./restore.ts";
export * from "./archive.ts";
export * from "./manifest.ts";
export * from "./errors.ts";
export * from "./r2.ts";
export { SERVICE_SCHEMAS } from "./services.ts";
