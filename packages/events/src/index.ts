export * from "./envelope.ts";
export * from "./catalog.ts";
export * from "./outbox-writer.ts";
export * from "./parse-event.ts";
export * from "./inbound-signature.ts";
export * from "./subscriptions.ts";
export * from "./public-form.ts";
