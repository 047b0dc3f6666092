export * from "./problem.ts";
export * from "./errors.ts";
export * from "./correlation.ts";
export * from "./request-log.ts";
export * from "./app.ts";
export * from "./principal.ts";
export * from "./storable-text.ts";
export * from "./address-group.ts";
