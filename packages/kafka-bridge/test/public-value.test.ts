import { describe, expect, it } from "vitest";
import { buildEvent, outboxRowOf, type EventEnvelope } from "@platform/events";
import { messageOf } from "../src/relay.ts";
import { publicValueOf } from "../src/public-value.ts";

const context = { source: "auth", correlationId: "corr-pv" };
const userId = "01a2f000-0000-7000-8000-0000000000a1";

/** An outbox row as the relay claims it: the value is jsonb's text form of the envelope. */
function claimed(envelope: EventEnvelope) {
  const row = outboxRowOf(envelope);
  return {
    seq: "1",
    id: row.id,
    type: row.type,
    topic: row.topic,
    aggregateId: row.aggregateId,
    value: JSON.stringify(envelope),
    correlationId: envelope.metadata.correlationId,
  };
}

describe("the Kafka message of an outbox row", () => {
  it("carries USER_CREATED without the email and the name, marked as the public form", () => {
    const event = claimed(
      buildEvent(
        "USER_CREATED",
        { userId, email: "grace@example.org", name: "Grace Hopper", roles: ["learner"] },
        context,
      ),
    );
    const message = messageOf(event);
    expect(message.value).not.toContain("grace@example.org");
    expect(message.value).not.toContain("Grace Hopper");
    expect(JSON.parse(String(message.value))).toMatchObject({
      type: "USER_CREATED",
      data: { userId, roles: ["learner"] },
      metadata: { correlationId: "corr-pv", redacted: ["email", "name"] },
    });
    expect(message.headers).toEqual({
      "event-id": event.id,
      "event-type": "USER_CREATED",
      "event-form": "public",
      "correlation-id": "corr-pv",
    });
    expect(message.key).toBe(userId);
  });

  it("sends an id-only type's stored value byte for byte (no re-serialisation on the hot path)", () => {
    const event = claimed(buildEvent("USER_DELETED", { userId }, context));
    // Odd spacing that a parse and stringify would normalise.
    const stored = { ...event, value: event.value.replace(",", " ,  ") };
    expect(publicValueOf(stored)).toBe(stored.value);
  });

  it("withholds the data of a type this bridge does not know", () => {
    const value = JSON.stringify({ type: "USER_PHONE_ADDED", data: { userId, phone: "+1 555 0100" }, metadata: {} });
    const projected = JSON.parse(publicValueOf({ type: "USER_PHONE_ADDED", value })) as Record<string, unknown>;
    expect(projected).toEqual({ type: "USER_PHONE_ADDED", data: {}, metadata: { redacted: ["userId", "phone"] } });
  });
});
