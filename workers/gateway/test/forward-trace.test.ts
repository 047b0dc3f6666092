import { describe, expect, it } from "vitest";
import { CORRELATION_HEADER, parseTraceparent, runInSpan, startTrace } from "@platform/http-kit";
import { forwardedRequest } from "../src/forwarded-request.ts";

const CLIENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("what a worker behind the gateway receives", () => {
  it("carries the gateway's span as traceparent, instead of the client's, and no client tracestate", () => {
    const span = startTrace();
    const incoming = new Request("http://gateway.test/api/courses", {
      headers: { traceparent: CLIENT, tracestate: "vendor=client-chosen" },
    });
    const forwarded = runInSpan(span, () => forwardedRequest(incoming, "corr-f"));
    expect(parseTraceparent(forwarded.headers.get("traceparent"))).toMatchObject({
      traceId: span.traceId,
      spanId: span.spanId,
    });
    expect(forwarded.headers.get("tracestate")).toBeNull();
    expect(forwarded.headers.get(CORRELATION_HEADER)).toBe("corr-f");
  });

  it("carries no traceparent of the client's even outside a span", () => {
    const forwarded = forwardedRequest(
      new Request("http://gateway.test/api/courses", { headers: { traceparent: CLIENT } }),
      "corr-g",
    );
    expect(forwarded.headers.get("traceparent")).toBeNull();
  });
});
