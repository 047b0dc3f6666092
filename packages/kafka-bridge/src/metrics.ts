/**
 * The bridge's Prometheus metrics, written out by hand in the text exposition format (version
 * 0.0.4): a dozen counters and gauges do not need a client library.
 */
type Labels = Readonly<Record<string, string>>;

const escapeLabel = (value: string) => value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(",")}}`;
}

class Family {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge";
  readonly #values = new Map<string, { labels: Labels; value: number }>();

  constructor(name: string, help: string, type: "counter" | "gauge") {
    this.name = name;
    this.help = help;
    this.type = type;
  }

  #entry(labels: Labels) {
    const key = labelText(labels);
    let entry = this.#values.get(key);
    if (!entry) this.#values.set(key, (entry = { labels, value: 0 }));
    return entry;
  }

  add(labels: Labels, amount: number): void {
    this.#entry(labels).value += amount;
  }

  set(labels: Labels, value: number): void {
    this.#entry(labels).value = value;
  }

  get(labels: Labels): number {
    return this.#values.get(labelText(labels))?.value ?? 0;
  }

  sum(): number {
    let total = 0;
    for (const { value } of this.#values.values()) total += value;
    return total;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, value } of this.#values.values()) lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join("\n");
  }
}

export type ErrorStage =
  | "postgres"
  | "kafka"
  | "listen"
  | "probe_postgres"
  | "probe_kafka"
  | "inbound_delivery"
  | "inbound_consumer"
  | "dead_letter";
export type InboundOutcome = "delivered" | "dead_lettered" | "retried";

export class BridgeMetrics {
  readonly relayed = new Family(
    "kafka_bridge_events_relayed_total",
    "Outbox events acknowledged by Kafka and marked published.",
    "counter",
  );
  readonly batches = new Family("kafka_bridge_batches_total", "Outbox batches relayed.", "counter");
  readonly lag = new Family(
    "kafka_bridge_outbox_lag_events",
    "Outbox rows not yet published to Kafka (at the last probe).",
    "gauge",
  );
  readonly oldestAge = new Family(
    "kafka_bridge_outbox_oldest_unpublished_age_seconds",
    "Age of the oldest outbox row not yet published to Kafka (0 when none; at the last probe).",
    "gauge",
  );
  readonly lastRelay = new Family(
    "kafka_bridge_last_relay_timestamp_seconds",
    "Unix time of the last batch relayed.",
    "gauge",
  );
  readonly errors = new Family(
    "kafka_bridge_errors_total",
    "Failures, by where they happened; every one is retried.",
    "counter",
  );
  readonly up = new Family("kafka_bridge_up", "1 when the dependency answered the last probe, else 0.", "gauge");
  readonly inbound = new Family("kafka_bridge_inbound_messages_total", "Inbound messages, by outcome.", "counter");
  readonly #families = [
    this.relayed,
    this.batches,
    this.lag,
    this.oldestAge,
    this.lastRelay,
    this.errors,
    this.up,
    this.inbound,
  ];

  constructor(schemas: readonly string[]) {
    // Every series exists from the start, so a dashboard shows 0 rather than nothing.
    for (const schema of schemas) {
      this.batches.add({ schema }, 0);
      this.lag.set({ schema }, 0);
      this.oldestAge.set({ schema }, 0);
    }
    for (const dependency of ["postgres", "kafka"]) this.up.set({ dependency }, 0);
  }

  recordBatch(schema: string, countsByTopic: ReadonlyMap<string, number>, at = Date.now()): void {
    for (const [topic, count] of countsByTopic) this.relayed.add({ schema, topic }, count);
    this.batches.add({ schema }, 1);
    this.lastRelay.set({ schema }, Math.floor(at / 1000));
  }

  recordError(stage: ErrorStage): void {
    this.errors.add({ stage }, 1);
  }

  recordInbound(outcome: InboundOutcome): void {
    this.inbound.add({ outcome }, 1);
  }

  /** Every event relayed since start, over all schemas and topics. */
  relayedTotal(): number {
    return this.relayed.sum();
  }

  render(): string {
    return `${this.#families.map((family) => family.render()).join("\n")}\n`;
  }
}
