import { describe, expect, it } from "vitest";
import { buildEvent, outboxRowOf, type EventEnvelope } from "@platform/events";
import { formatTraceparent, runInSpan, startTrace } from "@platform/http-kit/trace";
import { checkInboundMessage } from "../src/inbound.ts";
import { deliverInbound } from "../src/inbound-delivery.ts";
import type { IncomingMessage } from "../src/kafka-client.ts";
import { messageOf } from "../src/relay.ts";

const userId = "01a2f000-0000-7000-8000-0000000000c1";
const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/** An outbox row as the relay claims it (outbox.ts reads `metadata.traceparent` beside the envelope). */
function claimed(envelope: EventEnvelope, traceparent: string | null = envelope.metadata.traceparent ?? null) {
  const row = outboxRowOf(envelope);
  return {
    seq: "1",
    id: row.id,
    type: row.type,
    topic: row.topic,
    aggregateId: row.aggregateId,
    value: JSON.stringify(envelope),
    correlationId: envelope.metadata.correlationId,
    traceparent,
  };
}

const userCreated = () =>
  buildEvent(
    "USER_CREATED",
    { userId, email: "a@example.org", name: "A", roles: ["learner"] },
    { source: "auth", correlationId: "c-t" },
  );

describe("the traceparent header of a published message", () => {
  it("is the trace of the request that wrote the event", () => {
    const span = startTrace();
    const message = messageOf(claimed(runInSpan(span, userCreated)));
    expect(message.headers).toMatchObject({ traceparent: formatTraceparent(span), "correlation-id": "c-t" });
  });

  it("is left out for an event stored without one, and for a stored value that is not valid", () => {
    expect(messageOf(claimed(userCreated())).headers).not.toHaveProperty("traceparent");
    expect(messageOf(claimed(userCreated(), "00-XYZ")).headers).not.toHaveProperty("traceparent");
  });
});

describe("the traceparent of an inbound message", () => {
  const message = (value: string, headers: Record<string, string> = {}): IncomingMessage => ({
    topic: "integrator-events",
    partition: 0,
    offset: "0",
    key: null,
    value: Buffer.from(value),
    headers,
  });
  const enrollment = (traceparent?: string) =>
    JSON.stringify(
      buildEvent(
        "ENROLLMENT_REQUESTED",
        {
          userId,
          courseId: "01a2f000-0000-7000-8000-0000000000c2",
          reference: "crm-t",
          requestedAt: new Date().toISOString(),
        },
        { source: "integrator", correlationId: "c-in", ...(traceparent && { traceparent }) },
      ),
    );

  it("is taken from its Kafka header, else from its envelope", () => {
    const other = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    expect(checkInboundMessage(message(enrollment(other), { traceparent: TRACEPARENT }))).toMatchObject({
      ok: true,
      traceparent: TRACEPARENT,
    });
    expect(checkInboundMessage(message(enrollment(other)))).toMatchObject({ ok: true, traceparent: other });
  });

  it("is ignored when invalid, and the event still delivered (never dead-lettered for it)", () => {
    const verdict = checkInboundMessage(message(enrollment(), { traceparent: "00-nonsense" }));
    expect(verdict.ok).toBe(true);
    expect(verdict.ok && verdict.traceparent).toBeUndefined();
  });

  it("goes to the platform as the request's traceparent header", async () => {
    const sent: Headers[] = [];
    const delivery = await deliverInbound({
      url: "http://platform.test/api/events/inbound",
      secret: "s".repeat(32),
      body: enrollment(),
      timeoutMs: 1000,
      traceparent: TRACEPARENT,
      fetch: async (_url, init) => {
        sent.push(new Headers(init?.headers));
        return new Response(null, { status: 202 });
      },
    });
    expect(delivery.kind).toBe("accepted");
    expect(sent[0]?.get("traceparent")).toBe(TRACEPARENT);
  });
});
