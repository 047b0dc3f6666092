import { describe, expect, it } from "vitest";
import { formatTraceparent, runInSpan, startTrace } from "@platform/http-kit/trace";
import { buildEvent, parseEvent, parsePublicEvent, publicProjection } from "../src/index.ts";

const context = { source: "auth", correlationId: "corr-trace" };
const userId = "01a2f000-0000-7000-8000-0000000000b1";
const data = { userId, email: "ada@example.org", name: "Ada", roles: ["learner" as const] };
const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("an event's trace context (metadata.traceparent)", () => {
  it("is the span of the work that builds the event", () => {
    const span = startTrace();
    const event = runInSpan(span, () => buildEvent("USER_CREATED", data, context));
    expect(event.metadata.traceparent).toBe(formatTraceparent(span));
  });

  it("is the one the writer names, when it names a valid one", () => {
    const event = runInSpan(startTrace(), () =>
      buildEvent("USER_CREATED", data, { ...context, traceparent: TRACEPARENT }),
    );
    expect(event.metadata.traceparent).toBe(TRACEPARENT);
  });

  it("is absent outside any span: the envelope is the one written before traces existed", () => {
    const event = buildEvent("USER_CREATED", data, context);
    expect(Object.keys(event.metadata).sort()).toEqual(["correlationId", "timestamp"]);
  });

  it("survives parsing, in the full and the public form", () => {
    const event = runInSpan(startTrace(), () => buildEvent("USER_CREATED", data, context));
    const parsed = parseEvent(JSON.parse(JSON.stringify(event)));
    expect(parsed.ok && parsed.event.metadata.traceparent).toBe(event.metadata.traceparent);
    const published = parsePublicEvent(JSON.parse(JSON.stringify(publicProjection(event))));
    expect(published.ok && published.event.metadata.traceparent).toBe(event.metadata.traceparent);
  });

  it("is optional: a stored event without one still parses, and gains none", () => {
    const stored = JSON.parse(JSON.stringify(buildEvent("USER_CREATED", data, context))) as Record<string, unknown>;
    const parsed = parseEvent(stored);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && "traceparent" in parsed.event.metadata && parsed.event.metadata.traceparent).toBeFalsy();
  });

  it.each([
    ["malformed", "not-a-traceparent"],
    ["upper case", TRACEPARENT.toUpperCase()],
    ["all-zero trace id", `00-${"0".repeat(32)}-00f067aa0ba902b7-01`],
    ["not a string", 42],
  ])(
    "when %s, is dropped and the event still accepted (an integrator's event is not refused for it)",
    (_what, value) => {
      const event = JSON.parse(JSON.stringify(buildEvent("USER_CREATED", data, context))) as {
        metadata: Record<string, unknown>;
      };
      event.metadata.traceparent = value;
      const parsed = parseEvent(event);
      expect(parsed.ok).toBe(true);
      expect(parsed.ok && parsed.event.metadata.traceparent).toBeUndefined();
      expect(JSON.stringify(parsed.ok && parsed.event)).not.toContain('"traceparent"');
    },
  );
});
