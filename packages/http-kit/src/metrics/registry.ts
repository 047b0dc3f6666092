import { DURATION_BUCKETS_SECONDS, METRIC_CATALOGUE, type LabelsOf, type MetricName } from "./catalogue.ts";

/** One series' value in a snapshot: its labels (with `service`) and its number. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family as a worker hands it to the gateway's `/metrics` (over RPC, so plain data). */
export interface FamilySnapshot {
  readonly name: MetricName;
  /** Histograms arrive already expanded into `_bucket`, `_sum` and `_count` samples. */
  readonly samples: readonly (Sample & { readonly suffix?: "_bucket" | "_sum" | "_count" })[];
}

/**
 * Workers Analytics Engine's dataset binding, as far as metrics use it. In production each
 * recorded value is a data point there (queried with SQL, docs/observability.md#metrics); locally
 * `wrangler dev` drops the writes.
 */
export interface MetricsDataset {
  writeDataPoint(point: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void;
}

export interface MetricsBindings {
  /** Analytics Engine, where production's metrics go. Absent in tests that run a worker's app on its own. */
  readonly METRICS?: MetricsDataset;
}

interface Histogram {
  readonly buckets: number[];
  sum: number;
  count: number;
}

const keyOf = (labels: Readonly<Record<string, string>>) => JSON.stringify(labels);

/**
 * The isolate's own running totals: what the gateway's `/metrics` view reads (locally, where
 * `wrangler dev` runs one isolate per worker, they are the worker's totals). They start from zero
 * whenever the isolate does, which Prometheus's `rate()` and `increase()` treat as a counter reset.
 * Label values are bounded by construction: route patterns, status codes and the outcomes the
 * catalogue names, never a path, an id or anything a client typed.
 */
export class MetricsRegistry {
  readonly #service: string;
  readonly #counters = new Map<MetricName, Map<string, Sample>>();
  readonly #histograms = new Map<MetricName, Map<string, { labels: Record<string, string>; value: Histogram }>>();

  constructor(service: string) {
    this.#service = service;
  }

  get service(): string {
    return this.#service;
  }

  /** Adds to a counter (or sets nothing else: gauges are read at scrape time, never stored). */
  count<N extends MetricName>(env: object | undefined, name: N, labels: LabelsOf<N>, amount = 1): void {
    const full = { service: this.#service, ...(labels as Record<string, string>) };
    const series = this.#seriesOf(this.#counters, name);
    const key = keyOf(full);
    series.set(key, { labels: full, value: (series.get(key)?.value ?? 0) + amount });
    writePoint(env, name, full, amount);
  }

  /** Records one observation of a histogram (seconds). */
  observe<N extends MetricName>(env: object | undefined, name: N, labels: LabelsOf<N>, seconds: number): void {
    const full = { service: this.#service, ...(labels as Record<string, string>) };
    const series = this.#seriesOf(this.#histograms, name);
    const key = keyOf(full);
    let entry = series.get(key);
    if (!entry) {
      entry = { labels: full, value: { buckets: DURATION_BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 } };
      series.set(key, entry);
    }
    const histogram = entry.value;
    DURATION_BUCKETS_SECONDS.forEach((bound, index) => {
      if (seconds <= bound) histogram.buckets[index] = (histogram.buckets[index] ?? 0) + 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
    writePoint(env, name, full, seconds);
  }

  /** Everything recorded so far, as plain data (RPC-safe). */
  snapshot(): FamilySnapshot[] {
    const families: FamilySnapshot[] = [];
    for (const [name, series] of this.#counters) families.push({ name, samples: [...series.values()] });
    for (const [name, series] of this.#histograms) {
      const samples: FamilySnapshot["samples"][number][] = [];
      for (const { labels, value } of series.values()) {
        DURATION_BUCKETS_SECONDS.forEach((bound, index) => {
          samples.push({
            labels: { ...labels, le: String(bound) },
            value: value.buckets[index] ?? 0,
            suffix: "_bucket",
          });
        });
        samples.push({ labels: { ...labels, le: "+Inf" }, value: value.count, suffix: "_bucket" });
        samples.push({ labels, value: value.sum, suffix: "_sum" });
        samples.push({ labels, value: value.count, suffix: "_count" });
      }
      families.push({ name, samples });
    }
    return families;
  }

  #seriesOf<V>(store: Map<MetricName, Map<string, V>>, name: MetricName): Map<string, V> {
    let series = store.get(name);
    if (!series) store.set(name, (series = new Map()));
    return series;
  }
}

/**
 * The isolate's Analytics Engine binding, remembered from the last env that carried one. A binding
 * is the same object for every request an isolate serves, so code deep in a transaction (a purchase
 * that becomes paid) can count without being handed the env: the request that reached it brought it
 * through `requestMetrics` first.
 */
let rememberedDataset: MetricsDataset | undefined;

/** Any worker's env: the binding is looked up, so worker env types need not all declare it. */
function datasetOf(env: object | undefined): MetricsDataset | undefined {
  const dataset = (env as MetricsBindings | undefined)?.METRICS;
  if (dataset) rememberedDataset = dataset;
  return dataset ?? rememberedDataset;
}

/** Lets the isolate's metrics reach Analytics Engine before anything is counted (requestMetrics does it first). */
export function rememberMetricsDataset(env: object | undefined): void {
  datasetOf(env);
}

/**
 * One Analytics Engine data point per recorded value: index = the metric's name (the sampling
 * key), blob1 = service, blob2… = the metric's labels in catalogue order, double1 = the amount (or
 * the observed seconds). Never fails the request it measures: a full or missing dataset loses a
 * data point, nothing else.
 */
function writePoint(
  env: object | undefined,
  name: MetricName,
  labels: Readonly<Record<string, string>>,
  value: number,
): void {
  const dataset = datasetOf(env);
  if (!dataset) return;
  const labelValues = METRIC_CATALOGUE[name].labels.map((label) => labels[label] ?? "");
  try {
    dataset.writeDataPoint({ indexes: [name], blobs: [labels.service ?? "", ...labelValues], doubles: [value] });
  } catch {
    // Analytics Engine refuses past 250 points per invocation; a metric is not worth a failed request.
  }
}

const registries = new Map<string, MetricsRegistry>();

/** The isolate's registry for a service (one per worker; the gateway's also records for itself). */
export function metricsOf(service: string): MetricsRegistry {
  let registry = registries.get(service);
  if (!registry) registries.set(service, (registry = new MetricsRegistry(service)));
  return registry;
}

/** A gauge read at scrape time (never stored), as a family of the worker's snapshot. */
export function gaugeFamily<N extends MetricName>(
  service: string,
  name: N,
  samples: readonly { readonly labels: LabelsOf<N>; readonly value: number }[],
): FamilySnapshot {
  return {
    name,
    samples: samples.map(({ labels, value }) => ({
      labels: { service, ...(labels as Record<string, string>) },
      value,
    })),
  };
}

/** What every domain worker answers the gateway's `/metrics` with, over its service binding. */
export interface MetricsRpc {
  metricsSnapshot(): Promise<FamilySnapshot[]>;
}
