export * from "./envelope.ts";
export * from "./catalog.ts";
export * from "./outbox-writer.ts";
