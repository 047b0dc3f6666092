import { describe, expect, it } from "vitest";
import {
  childSpan,
  continueOrStart,
  currentSpan,
  currentTraceparent,
  formatTraceparent,
  newSpanId,
  newTraceId,
  parseTraceparent,
  runInSpan,
  startTrace,
} from "../src/trace-context.ts";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN_ID = "00f067aa0ba902b7";
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe("parsing a traceparent", () => {
  it("reads a version-00 value into its trace id, parent span id and flags", () => {
    expect(parseTraceparent(VALID)).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, flags: "01" });
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`)?.flags).toBe("00");
  });

  it("reads a later version by its first four fields, as the specification asks", () => {
    expect(parseTraceparent(`01-${TRACE_ID}-${SPAN_ID}-01`)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      flags: "01",
    });
    expect(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-01-what-comes-next`)?.traceId).toBe(TRACE_ID);
  });

  it.each([
    ["version ff (forbidden)", `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ["a one-digit version", `0-${TRACE_ID}-${SPAN_ID}-01`],
    ["a non-hex version", `zz-${TRACE_ID}-${SPAN_ID}-01`],
    ["an upper-case version", `0A-${TRACE_ID}-${SPAN_ID}-01`],
    ["version 00 with more after it", `${VALID}-extra`],
    ["a later version followed by something other than a dash", `01-${TRACE_ID}-${SPAN_ID}-01x`],
    ["an all-zero trace id", `00-${"0".repeat(32)}-${SPAN_ID}-01`],
    ["an all-zero span id", `00-${TRACE_ID}-${"0".repeat(16)}-01`],
    ["an upper-case trace id", `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ["an upper-case span id", `00-${TRACE_ID}-${SPAN_ID.toUpperCase()}-01`],
    ["upper-case flags", `00-${TRACE_ID}-${SPAN_ID}-0A`],
    ["a short trace id", `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ["a long span id", `00-${TRACE_ID}-${SPAN_ID}0-01`],
    ["non-hex characters", `00-${TRACE_ID.slice(0, 31)}g-${SPAN_ID}-01`],
    ["other separators", `00_${TRACE_ID}_${SPAN_ID}_01`],
    ["surrounding spaces", ` ${VALID} `],
    ["a log-injection attempt", `00-${TRACE_ID}-${SPAN_ID}-01\n{"level":"error"}`],
    ["nothing", ""],
  ])("refuses %s", (_what, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it("refuses what is not a string at all", () => {
    expect(parseTraceparent(undefined)).toBeUndefined();
    expect(parseTraceparent(null)).toBeUndefined();
  });
});

describe("making trace context", () => {
  it("formats what it parses, byte for byte", () => {
    const parsed = parseTraceparent(VALID);
    expect(parsed && formatTraceparent(parsed)).toBe(VALID);
  });

  it("makes ids of the right length, lowercase hex, never all zero, and different each time", () => {
    const traces = Array.from({ length: 50 }, newTraceId);
    const spans = Array.from({ length: 50 }, newSpanId);
    for (const id of traces) expect(id).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    for (const id of spans) expect(id).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
    expect(new Set(traces).size).toBe(50);
    expect(new Set(spans).size).toBe(50);
  });

  it("starts a sampled trace that is itself a valid traceparent, with no parent span", () => {
    const span = startTrace();
    expect(span.flags).toBe("01");
    expect(span.parentSpanId).toBeUndefined();
    expect(parseTraceparent(formatTraceparent(span))).toEqual({
      traceId: span.traceId,
      spanId: span.spanId,
      flags: "01",
    });
  });

  it("continues a trace in a child span: same trace and flags, a new span, the sender's as parent", () => {
    const parent = { traceId: TRACE_ID, spanId: SPAN_ID, flags: "00" };
    const child = childSpan(parent);
    expect(child).toMatchObject({ traceId: TRACE_ID, parentSpanId: SPAN_ID, flags: "00" });
    expect(child.spanId).not.toBe(SPAN_ID);
    expect(continueOrStart(VALID)).toMatchObject({ traceId: TRACE_ID, parentSpanId: SPAN_ID });
  });

  it("starts a new trace instead of continuing an invalid one", () => {
    const span = continueOrStart(`00-${"0".repeat(32)}-${SPAN_ID}-01`);
    expect(span.traceId).not.toBe("0".repeat(32));
    expect(span.parentSpanId).toBeUndefined();
  });
});

describe("the span of the work in hand", () => {
  it("is the one set around the work, through awaits, and none outside it", async () => {
    expect(currentSpan()).toBeUndefined();
    expect(currentTraceparent()).toBeUndefined();
    const span = startTrace();
    const seen = await runInSpan(span, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return currentTraceparent();
    });
    expect(seen).toBe(formatTraceparent(span));
    expect(currentSpan()).toBeUndefined();
  });

  it("keeps concurrent pieces of work apart", async () => {
    const spans = [startTrace(), startTrace(), startTrace()];
    const seen = await Promise.all(
      spans.map((span, index) =>
        runInSpan(span, async () => {
          await new Promise((resolve) => setTimeout(resolve, 10 - index * 3));
          return currentSpan()?.traceId;
        }),
      ),
    );
    expect(seen).toEqual(spans.map((span) => span.traceId));
  });
});
