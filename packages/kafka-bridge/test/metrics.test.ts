import { describe, expect, it } from "vitest";
import { BridgeMetrics } from "../src/metrics.ts";

describe("Prometheus text", () => {
  it("declares every family and starts each schema's series at 0", () => {
    const text = new BridgeMetrics(["courses", "users"]).render();
    for (const family of [
      "kafka_bridge_events_relayed_total counter",
      "kafka_bridge_batches_total counter",
      "kafka_bridge_outbox_lag_events gauge",
      "kafka_bridge_outbox_oldest_unpublished_age_seconds gauge",
      "kafka_bridge_errors_total counter",
      "kafka_bridge_up gauge",
      "kafka_bridge_inbound_messages_total counter",
    ]) {
      expect(text).toContain(`# TYPE ${family}`);
    }
    expect(text).toContain('kafka_bridge_outbox_lag_events{schema="users"} 0');
    expect(text).toContain('kafka_bridge_up{dependency="kafka"} 0');
    expect(text.endsWith("\n")).toBe(true);
  });

  it("counts relayed events per schema and topic, and escapes label values", () => {
    const metrics = new BridgeMetrics(["courses"]);
    metrics.recordBatch("courses", new Map([["course-events", 3]]), 1_800_000_000_000);
    metrics.recordBatch(
      "courses",
      new Map([
        ["course-events", 2],
        ["payment-events", 1],
      ]),
      1_800_000_001_000,
    );
    metrics.errors.add({ stage: 'we"ird\\stage\n' }, 1);
    const text = metrics.render();
    expect(text).toContain('kafka_bridge_events_relayed_total{schema="courses",topic="course-events"} 5');
    expect(text).toContain('kafka_bridge_events_relayed_total{schema="courses",topic="payment-events"} 1');
    expect(text).toContain('kafka_bridge_batches_total{schema="courses"} 2');
    expect(text).toContain('kafka_bridge_last_relay_timestamp_seconds{schema="courses"} 1800000001');
    expect(text).toContain('kafka_bridge_errors_total{stage="we\\"ird\\\\stage\\n"} 1');
    expect(metrics.relayedTotal()).toBe(6);
  });
});
