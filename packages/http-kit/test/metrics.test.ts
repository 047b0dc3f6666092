import { describe, expect, it } from "vitest";
import {
  DURATION_BUCKETS_SECONDS,
  MetricsRegistry,
  gaugeFamily,
  createServiceApp,
  metricsOf,
  renderExposition,
  type MetricsDataset,
} from "../src/index.ts";

/**
 * The registry and the text format, on their own. Analytics Engine cannot run here (`wrangler dev`
 * drops its writes), so its data points are read from a recording dataset with the binding's shape.
 */
function recordingDataset() {
  const points: Parameters<MetricsDataset["writeDataPoint"]>[0][] = [];
  return { points, dataset: { writeDataPoint: (point) => void points.push(point) } satisfies MetricsDataset };
}

describe("MetricsRegistry", () => {
  it("adds counters per label set, with the worker's service label first", () => {
    const registry = new MetricsRegistry("auth");
    registry.count(undefined, "auth_sign_ins_total", { outcome: "refused" });
    registry.count(undefined, "auth_sign_ins_total", { outcome: "refused" });
    registry.count(undefined, "auth_sign_ins_total", { outcome: "succeeded" }, 3);
    const [family] = registry.snapshot();
    expect(family?.name).toBe("auth_sign_ins_total");
    expect(family?.samples).toEqual([
      { labels: { service: "auth", outcome: "refused" }, value: 2 },
      { labels: { service: "auth", outcome: "succeeded" }, value: 3 },
    ]);
  });

  it("keeps histogram buckets cumulative, with +Inf, _sum and _count", () => {
    const registry = new MetricsRegistry("courses");
    const labels = { method: "GET", route: "/api/courses" };
    for (const seconds of [0.003, 0.02, 0.02, 30])
      registry.observe(undefined, "http_request_duration_seconds", labels, seconds);
    const samples = registry.snapshot()[0]?.samples ?? [];
    const bucket = (le: string) => samples.find((s) => s.suffix === "_bucket" && s.labels.le === le)?.value;
    expect(bucket("0.005")).toBe(1);
    expect(bucket("0.025")).toBe(3);
    expect(bucket("10")).toBe(3);
    expect(bucket("+Inf")).toBe(4);
    expect(samples.filter((s) => s.suffix === "_bucket")).toHaveLength(DURATION_BUCKETS_SECONDS.length + 1);
    expect(samples.find((s) => s.suffix === "_sum")?.value).toBeCloseTo(30.043, 6);
    expect(samples.find((s) => s.suffix === "_count")?.value).toBe(4);
  });

  it("writes one Analytics Engine data point per value: index the name, blobs service then labels in catalogue order", () => {
    const { points, dataset } = recordingDataset();
    const registry = new MetricsRegistry("payments");
    registry.count({ METRICS: dataset }, "payments_webhooks_total", { outcome: "rejected" });
    registry.observe({ METRICS: dataset }, "http_request_duration_seconds", { route: "/x", method: "POST" }, 0.25);
    expect(points).toEqual([
      { indexes: ["payments_webhooks_total"], blobs: ["payments", "rejected"], doubles: [1] },
      { indexes: ["http_request_duration_seconds"], blobs: ["payments", "POST", "/x"], doubles: [0.25] },
    ]);
  });

  it("never fails the work it measures when Analytics Engine refuses a write", () => {
    const registry = new MetricsRegistry("events");
    const refusing: MetricsDataset = {
      writeDataPoint: () => {
        throw new Error("too many data points");
      },
    };
    expect(() =>
      registry.count({ METRICS: refusing }, "events_queue_messages_total", { queue: "q", outcome: "delivered" }),
    ).not.toThrow();
    expect(registry.snapshot()[0]?.samples[0]?.value).toBe(1);
  });
});

describe("renderExposition", () => {
  it("merges several workers' families under one HELP and TYPE, and escapes label values", () => {
    const auth = new MetricsRegistry("auth");
    const users = new MetricsRegistry("users");
    auth.count(undefined, "http_requests_total", { method: "GET", route: '/a"b\\c', code: "200" });
    users.count(undefined, "http_requests_total", { method: "GET", route: "/line\nbreak", code: "404" });
    const text = renderExposition([
      auth.snapshot(),
      users.snapshot(),
      [gaugeFamily("events", "events_dead_letters", [{ labels: {}, value: 2 }])],
    ]);
    expect(text.match(/^# TYPE http_requests_total counter$/gm)).toHaveLength(1);
    expect(text).toContain('http_requests_total{service="auth",method="GET",route="/a\\"b\\\\c",code="200"} 1');
    expect(text).toContain('http_requests_total{service="users",method="GET",route="/line\\nbreak",code="404"} 1');
    expect(text).toContain('# TYPE events_dead_letters gauge\nevents_dead_letters{service="events"} 2');
    expect(text.endsWith("\n")).toBe(true);
  });
});

describe("requestMetrics", () => {
  it("labels a request by its route pattern, never its path, and an unmatched one as unmatched", async () => {
    // The service conventions mount requestMetrics, and the not-found handler that tells it no route matched.
    const app = createServiceApp({ service: "metrics-middleware-test", logSink: () => {} });
    app.get("/api/things/:id", (c) => c.json({ id: c.req.param("id") }));
    const secretLookingId = "person-4711";
    expect((await app.request(`/api/things/${secretLookingId}`)).status).toBe(200);
    expect((await app.request("/nowhere")).status).toBe(404);
    const text = renderExposition([metricsOf("metrics-middleware-test").snapshot()]);
    expect(text).toContain(
      'http_requests_total{service="metrics-middleware-test",method="GET",route="/api/things/:id",code="200"} 1',
    );
    expect(text).toContain('route="unmatched",code="404"} 1');
    expect(text).not.toContain(secretLookingId);
  });
});
