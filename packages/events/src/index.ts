export * from "./envelope.ts";
export * from "./catalog.ts";
export * from "./outbox-writer.ts";
export * from "./parse-event.ts";
export * from "./inbound-signature.ts";
export * from "./subscriptions.ts";
export * from "./public-form.ts";
// The trace context helpers the envelope's `metadata.traceparent` is read and written with (the Kafka bridge uses them).
export { TRACEPARENT_HEADER, formatTraceparent, parseTraceparent, type TraceContext } from "@platform/http-kit/trace";
