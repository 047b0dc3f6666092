export * from "./catalogue.ts";
export * from "./registry.ts";
export * from "./exposition.ts";
export * from "./middleware.ts";
