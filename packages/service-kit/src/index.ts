// The HTTP side of the kit: nothing here imports `cloudflare:workers`, so a worker's app can be
// built and exercised in-process (Node, `app.request`) as well as in workerd.
export * from "./app.ts";
export * from "./access.ts";
export * from "./route.ts";
export * from "./openapi.ts";
export * from "./unavailable.ts";
export * from "./price-schema.ts";
