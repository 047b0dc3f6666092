import type { MetricsCostMeasurement } from "./scenarios/metrics-scrape.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUDGETS } from "./budgets.ts";
import type { Machine } from "./machine.ts";
import type {
  BundleMeasurement,
  KafkaLatencyMeasurement,
  KafkaThroughputMeasurement,
  LoadMeasurement,
  Measurement,
  OverheadComparison,
  QueueLatencyMeasurement,
  RateLimitMeasurement,
  UploadThroughputMeasurement,
} from "./measurements.ts";
import { renderCpu, renderReadPath, type CpuPerRequestMeasurement, type ReadPathSummary } from "./read-path-figures.ts";
import { renderLiveFanout, type LiveFanoutMeasurement } from "./scenarios/live-fanout.ts";
import { renderMixedJourney, type MixedJourneyMeasurement } from "./scenarios/mixed-journey.ts";
import { renderNotifications, type NotificationsMeasurement } from "./scenarios/notifications.ts";
import { renderQueueLatency } from "./scenarios/queue-delivery-latency.ts";
import {
  javaScriptMeetsBudget,
  lighthouseMeetsBudget,
  renderSitePages,
  type SitePageMeasurement,
} from "./scenarios/site.ts";
import { renderUploadThroughput } from "./scenarios/upload-throughput.ts";
import { renderStudioUpload, type StudioUploadMeasurement } from "./scenarios/studio-upload.ts";

export interface BenchReport {
  readonly generatedAt: string;
  readonly command: string;
  readonly commit: string;
  readonly quick: boolean;
  readonly scenarios: readonly string[];
  readonly totalSeconds: number;
  readonly machine: Machine;
  readonly budgets: typeof BUDGETS;
  readonly measurements: readonly Measurement[];
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "–");
const kib = (value: number) => value.toFixed(1);
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "–");
const verdict = (ok: boolean) => (ok ? "✅ within" : "❌ over");
const count = (value: number) => value.toLocaleString("en-US");

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function loadOf(m: LoadMeasurement): string {
  if (!m.targetRate) return "flat out";
  // Below 95 % of the asked rate the route was saturated: its latencies measure a queue.
  const reached = m.requestsPerSecond < m.targetRate * 0.95 ? ` (⚠ reached ${m.requestsPerSecond.toFixed(0)})` : "";
  return `${m.targetRate} req/s paced${reached}`;
}

function statuses(m: LoadMeasurement): string {
  return (
    Object.entries(m.statusCounts)
      .map(([status, n]) => `${status}: ${count(n)}`)
      .join(", ") || "none"
  );
}

function loadTable(loads: readonly LoadMeasurement[]): string {
  return table(
    [
      "scenario",
      "route",
      "request",
      "load",
      "conns",
      "rounds × s",
      "responses",
      "req/s",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "max ms",
      "errors",
      "unexpected status",
      "statuses",
    ],
    loads.map((m) => [
      m.scenario,
      m.variant ? `${m.route} (${m.variant})` : m.route,
      `${m.method} ${m.path}`,
      loadOf(m),
      String(m.connections),
      `${m.rounds} × ${(m.durationSeconds / Math.max(1, m.rounds)).toFixed(1)}`,
      count(m.responses),
      m.requestsPerSecond.toFixed(0),
      ms(m.latencyMs.p50),
      ms(m.latencyMs.p95),
      ms(m.latencyMs.p99),
      ms(m.latencyMs.max),
      count(m.transportErrors),
      count(m.unexpectedStatuses),
      statuses(m),
    ]),
  );
}

function overheadSection(c: OverheadComparison, loads: readonly LoadMeasurement[]): string {
  const byId = (id: string) => loads.find((m) => m.id === id);
  const [gRate, dRate, gMax, dMax] = [
    c.fixedRate.gatewayId,
    c.fixedRate.directId,
    c.maxThroughput.gatewayId,
    c.maxThroughput.directId,
  ].map(byId);
  if (!gRate || !dRate || !gMax || !dMax) return "";
  const budget = `≤ ${c.budget}×`;
  return [
    `### Gateway overhead (${c.scenario})`,
    "",
    table(
      ["measure", "through the gateway", "direct", "ratio", `budget ${budget}`],
      [
        [
          `**p50 at ${c.fixedRate.rate} req/s** (headline)`,
          `${ms(gRate.latencyMs.p50)} ms`,
          `${ms(dRate.latencyMs.p50)} ms`,
          `**${ratio(c.fixedRate.p50Ratio)}**`,
          verdict(c.fixedRate.p50Ratio <= c.budget),
        ],
        [
          `p50 added by the gateway at ${c.fixedRate.rate} req/s`,
          "",
          "",
          `+${ms(c.fixedRate.p50AddedMs)} ms`,
          "for information",
        ],
        [
          "p50 ratio of each round on its own",
          "",
          "",
          c.fixedRate.roundP50Ratios.map(ratio).join(", "),
          "spread = noise",
        ],
        [
          `p99 at ${c.fixedRate.rate} req/s`,
          `${ms(gRate.latencyMs.p99)} ms`,
          `${ms(dRate.latencyMs.p99)} ms`,
          ratio(c.fixedRate.p99Ratio),
          "for information",
        ],
        [
          "req/s flat out (direct ÷ gateway)",
          gMax.requestsPerSecond.toFixed(0),
          dMax.requestsPerSecond.toFixed(0),
          ratio(c.maxThroughput.throughputRatio),
          verdict(c.maxThroughput.throughputRatio <= c.budget),
        ],
        [
          "p50 flat out",
          `${ms(gMax.latencyMs.p50)} ms`,
          `${ms(dMax.latencyMs.p50)} ms`,
          ratio(c.maxThroughput.p50Ratio),
          "for information",
        ],
      ],
    ),
    "",
    c.scenario.endsWith("-production-shaped")
      ? "Both routes end in the same courses worker code answering the same 404; the gateway route adds the gateway " +
        "worker and the service-binding hop. Production-shaped: requests enter each workerd directly (no wrangler " +
        "proxy worker in front) and the workers' log lines are discarded by the kernel instead of being relayed " +
        "through Node, so neither side is diluted or inflated by the dev server."
      : "Both routes end in the same courses worker code answering the same 404; the gateway route adds the gateway " +
        "worker (correlation id, request log line, header rewrite) and the service-binding hop. Both also pass through " +
        "what `wrangler dev` puts in front of every worker locally (its proxy worker, and each log line relayed through " +
        "wrangler's Node process), which production does not have: that shared part dilutes the ratio (see the " +
        "dev-server-floor rows and the production-shaped comparison), while the gateway's second log line per request " +
        "makes the local difference larger than it would be in production.",
  ].join("\n");
}

function bundleTable(bundles: readonly BundleMeasurement[]): string {
  return table(
    ["worker", "config", "upload KiB", "gzip KiB", "budget (gzip)", ""],
    bundles.map((b) => [
      b.worker,
      `\`${b.config}\``,
      kib(b.uploadKiB),
      `${kib(b.gzipKiB)}${b.source === "measured" ? " (gzipped by the bench)" : ""}`,
      b.budgetKiB >= 1024 ? `${b.budgetKiB / 1024} MiB` : `${b.budgetKiB} KiB`,
      verdict(b.gzipKiB <= b.budgetKiB),
    ]),
  );
}

function rateLimitSection(limits: readonly RateLimitMeasurement[]): string {
  const perWindow = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
  const signed = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(value * 100).toFixed(1)} %`;
  return [
    table(
      [
        "scenario",
        "client",
        "request",
        "limit",
        "sent per window",
        "windows",
        "sent",
        "admitted",
        "refused (429)",
        "admitted per window",
        "expected per window",
        "deviation",
        "p50 admitted ms",
        "p50 refused ms",
        "errors",
        "",
      ],
      limits.map((m) => [
        m.scenario,
        m.client,
        `${m.method} ${m.path}`,
        `${m.limit} per ${m.windowSeconds} s`,
        perWindow(m.sentPerWindow),
        String(m.windows),
        count(m.sent),
        count(m.admitted),
        count(m.refused),
        perWindow(m.admittedPerWindow),
        perWindow(m.expectedPerWindow),
        signed(m.deviation),
        ms(m.latencyMs.admitted.p50),
        ms(m.latencyMs.refused.p50),
        count(m.sent - m.admitted - m.refused),
        Math.abs(m.deviation) <= m.tolerance
          ? `✅ within ±${m.tolerance * 100} %`
          : `❌ beyond ±${m.tolerance * 100} %`,
      ]),
    ),
    "",
    "Each client is paced evenly for whole windows, both at once, each from its own address. A client above the " +
      "limit should get exactly the limit through per window and a 429 with Retry-After for the rest; one below it " +
      "should get everything through, however hard the other is pushing. **errors** counts transport errors and any " +
      "status other than the route's own answer or 429.",
  ].join("\n");
}

function kafkaSection(
  throughputs: readonly KafkaThroughputMeasurement[],
  latencies: readonly KafkaLatencyMeasurement[],
): string {
  const rows: string[][] = [];
  for (const m of throughputs) {
    rows.push([
      m.scenario,
      `backlog of ${count(m.eventsPerRound)} per round, committed at once`,
      `${m.rounds} × ${count(m.eventsPerRound)}`,
      `${m.eventBytes} B`,
      String(m.batchSize),
      `**${count(Math.round(m.eventsPerSecond))} events/s** (rounds: ${m.roundEventsPerSecond.map((r) => count(Math.round(r))).join(", ")})`,
      `≥ ${count(m.budget)}/s`,
      verdict(m.eventsPerSecond >= m.budget),
    ]);
  }
  for (const m of latencies) {
    const reached = m.achievedRate < m.targetRate * 0.95 ? ` (⚠ reached ${m.achievedRate.toFixed(0)})` : "";
    rows.push([
      m.scenario,
      `${m.targetRate} events/s, one per transaction${reached}`,
      `${m.rounds} round${m.rounds === 1 ? "" : "s"}, ${count(m.events)}${m.missing ? ` (**${count(m.missing)} never acknowledged**)` : ""}`,
      `${m.eventBytes} B`,
      "default",
      `p50 ${ms(m.latencyMs.p50)} ms, **p95 ${ms(m.latencyMs.p95)} ms**, p99 ${ms(m.latencyMs.p99)} ms, max ${ms(m.latencyMs.max)} ms`,
      `p95 ≤ ${count(m.budgetP95Ms)} ms`,
      verdict(m.latencyMs.p95 <= m.budgetP95Ms && m.missing === 0),
    ]);
  }
  return [
    table(["scenario", "load", "events", "event size", "batch", "result", "budget", ""], rows),
    "",
    "The bridge runs in the bench's process with its default settings, against a real Apache Kafka broker (KRaft, one " +
      "node, started from Maven Central's jars) and an embedded PostgreSQL of its own, all on this machine. Throughput " +
      "is a backlog committed in one transaction until the bridge has produced every event (idempotent, acks = -1) and " +
      "marked it published. Latency is from each event's commit returning to the writer until Kafka acknowledged it to " +
      "the bridge (noted in the bridge's producer), the bridge woken by LISTEN/NOTIFY.",
  ].join("\n");
}

function budgetSummary(
  comparisons: readonly OverheadComparison[],
  bundles: readonly BundleMeasurement[],
  throughputs: readonly KafkaThroughputMeasurement[] = [],
  latencies: readonly KafkaLatencyMeasurement[] = [],
  loads: readonly LoadMeasurement[] = [],
  readPaths: readonly ReadPathSummary[] = [],
  sitePages: readonly SitePageMeasurement[] = [],
): string {
  const rows: string[][] = [];
  const cached = loads.find((m) => m.id === `catalog-read/cached/${BUDGETS.cachedCatalogRate}rps`);
  if (cached) {
    const errors = cached.transportErrors + cached.unexpectedStatuses;
    rows.push([
      `cached catalog read p99 ≤ ${BUDGETS.cachedCatalogP99Ms} ms at ${BUDGETS.cachedCatalogRate} req/s, 0 errors`,
      `p99 ${ms(cached.latencyMs.p99)} ms at ${Math.round(cached.requestsPerSecond)} req/s, ${errors} errors`,
      verdict(cached.latencyMs.p99 <= BUDGETS.cachedCatalogP99Ms && errors === 0),
    ]);
  }
  for (const summary of readPaths) {
    for (const r of summary.ratios.filter((ratio) => ratio.limit?.source.startsWith("DESIGN"))) {
      const limit = r.limit;
      if (!limit) continue;
      const ok = limit.at === "least" ? r.value >= limit.value : r.value <= limit.value;
      rows.push([
        `${r.label} ${limit.at === "least" ? "≥" : "≤"} ${limit.value}× (${summary.scenario})`,
        ratio(r.value),
        ok ? "✅ within" : `❌ ${limit.at === "least" ? "below" : "over"}`,
      ]);
    }
  }
  for (const c of comparisons) {
    rows.push([
      `gateway overhead ≤ ${c.budget}×${c.scenario.endsWith("-production-shaped") ? " (production-shaped)" : ""}`,
      `${ratio(c.fixedRate.p50Ratio)} (p50 at ${c.fixedRate.rate} req/s); ${ratio(c.maxThroughput.throughputRatio)} (req/s flat out)`,
      verdict(c.fixedRate.p50Ratio <= c.budget && c.maxThroughput.throughputRatio <= c.budget),
    ]);
  }
  const gateway = bundles.find((b) => b.worker === "gateway");
  if (gateway)
    rows.push([
      `gateway bundle ≤ ${gateway.budgetKiB} KiB gzip`,
      `${kib(gateway.gzipKiB)} KiB`,
      verdict(gateway.gzipKiB <= gateway.budgetKiB),
    ]);
  const others = bundles.filter((b) => b.worker !== "gateway");
  const largest = others.reduce<BundleMeasurement | undefined>(
    (big, b) => (!big || b.gzipKiB > big.gzipKiB ? b : big),
    undefined,
  );
  if (largest) {
    rows.push([
      "each other worker bundle ≤ 1 MiB gzip",
      `largest: ${largest.worker} ${kib(largest.gzipKiB)} KiB`,
      verdict(others.every((b) => b.gzipKiB <= b.budgetKiB)),
    ]);
  }
  if (sitePages.length) {
    const heaviest = sitePages.reduce((big, m) => (m.weight.jsGzipBytes > big.weight.jsGzipBytes ? m : big));
    const notLoaded = sitePages
      .filter((m) => m.weight.status !== 200)
      .map((m) => `${m.page} answered ${m.weight.status}`);
    rows.push([
      `site pages ≤ ${heaviest.budgets.jsGzipBytes / 1000} KB gzip JavaScript (${sitePages.map((m) => m.page).join(", ")})`,
      [`heaviest: ${heaviest.page} ${(heaviest.weight.jsGzipBytes / 1000).toFixed(1)} KB`, ...notLoaded].join("; "),
      verdict(sitePages.every(javaScriptMeetsBudget)),
    ]);
    const lowest = sitePages
      .flatMap((m) =>
        Object.entries(m.lighthouse.scores).map(([category, score]) => ({ page: m.page, category, score })),
      )
      .reduce((low, entry) => ((entry.score ?? -1) < (low.score ?? -1) ? entry : low));
    rows.push([
      `Lighthouse ≥ ${BUDGETS.lighthouseMinScore} for performance, accessibility, best practices, SEO (goal)`,
      `lowest: ${lowest.page} ${lowest.category} ${lowest.score ?? "not scored"}`,
      sitePages.every(lighthouseMeetsBudget) ? "✅ met" : "❌ below",
    ]);
  }
  for (const m of throughputs) {
    rows.push([
      `Kafka bridge ≥ ${count(m.budget)} events/s`,
      `${count(Math.round(m.eventsPerSecond))} events/s`,
      verdict(m.eventsPerSecond >= m.budget),
    ]);
  }
  for (const m of latencies) {
    rows.push([
      `Kafka bridge commit → ack p95 ≤ ${count(m.budgetP95Ms)} ms`,
      `${ms(m.latencyMs.p95)} ms at ${m.targetRate} events/s`,
      verdict(m.latencyMs.p95 <= m.budgetP95Ms && m.missing === 0),
    ]);
  }
  return rows.length ? table(["budget (DESIGN.md §6)", "measured", ""], rows) : "";
}

const CPU_NOTE =
  "CPU is read from /proc (utime + stime of every process of each group, and of their children that exited " +
  "meanwhile, through their parents' cutime/cstime) before and after a fixed number of requests flat out, and divided " +
  "by the responses, less what each group uses when idle (watched first, times the load's wall time); 10 ms ticks " +
  "per process, which is why the peer answers more requests. The load generator runs " +
  "in a process of its own and is not counted. The bench's own process hosts the dev stack's Neon proxies (WebSocket " +
  "and HTTP) and, under the dev server, reads wrangler's output into the log file. The peer verifies the same access " +
  "tokens (jose, EdDSA) and runs the same access check, but has no gateway, rate limit or session-epoch lookup.";

const METHOD = `## Method

- Everything runs on this one machine: embedded PostgreSQL, the Neon WebSocket proxy, workerd (\`wrangler dev\`) and
  the load generator share its cores. The figures are local-development figures, good for comparing runs on the same
  machine and for ratios within one run, not production latencies.
- The bench starts its own platform (\`startStack\`) on free loopback ports in a throw-away folder; for the direct
  route, the courses worker alone in a second \`wrangler dev\` on the same database; for the floor, a do-nothing
  worker in a third. All are stopped at the end, also on failure or Ctrl-C.
- **Paced** loads send requests evenly spaced at the given rate, open loop (a request is sent when it is due, whether
  or not earlier ones have been answered, on up to *conns* keep-alive connections), and latency counts from when the
  request was due, so falling behind shows as latency. autocannon's \`overallRate\` is not used for this: it sends
  each connection's per-second share back to back, so load arrives in bursts at the start of every second.
- **Flat out** loads are autocannon with *conns* keep-alive connections, each sending its next request when the
  previous one is answered: the rate is the capacity, the latency is that of a full queue.
- A row pools several **rounds**; where a scenario compares routes, their rounds alternate (A B, B A, …) so drift
  and periodic disturbances on a shared machine hit both. Each target gets an unrecorded warm-up first.
- Latency is measured per response by the client (in a worker thread, away from the in-process WebSocket proxy), in
  milliseconds; p50/p95/p99 are exact nearest-rank percentiles over every response, expected non-2xx included.
- **errors** = connection errors and timeouts (10 s); **unexpected status** = responses whose status the scenario did
  not expect (a not-found scenario expects 404; \`/api/health\` expects 200).
- Bundle sizes are wrangler's own "Total Upload … / gzip: …" figures from \`wrangler deploy --dry-run\`.
`;

export function renderMarkdown(report: BenchReport): string {
  const loads = report.measurements.filter((m): m is LoadMeasurement => m.kind === "load");
  const comparisons = report.measurements.filter((m): m is OverheadComparison => m.kind === "comparison");
  const bundles = report.measurements.filter((m): m is BundleMeasurement => m.kind === "bundle");
  const limits = report.measurements.filter((m): m is RateLimitMeasurement => m.kind === "rate-limit");
  const throughputs = report.measurements.filter((m): m is KafkaThroughputMeasurement => m.kind === "kafka-throughput");
  const latencies = report.measurements.filter((m): m is KafkaLatencyMeasurement => m.kind === "kafka-latency");
  const uploads = report.measurements.filter((m): m is UploadThroughputMeasurement => m.kind === "upload-throughput");
  const studioUploads = report.measurements.filter((m): m is StudioUploadMeasurement => m.kind === "studio-upload");
  const queueLatencies = report.measurements.filter((m): m is QueueLatencyMeasurement => m.kind === "queue-latency");
  const readPaths = report.measurements.filter((m): m is ReadPathSummary => m.kind === "read-path");
  const cpus = report.measurements.filter((m): m is CpuPerRequestMeasurement => m.kind === "cpu-per-request");
  const fanouts = report.measurements.filter((m): m is LiveFanoutMeasurement => m.kind === "live-fanout");
  const notices = report.measurements.filter((m): m is NotificationsMeasurement => m.kind === "notifications");
  const sitePages = report.measurements.filter((m): m is SitePageMeasurement => m.kind === "site-page");
  const journeys = report.measurements.filter((m): m is MixedJourneyMeasurement => m.kind === "mixed-journey");
  const metricsCosts = report.measurements.filter((m): m is MetricsCostMeasurement => m.kind === "metrics-cost");
  const machine = report.machine;
  const minutes = Math.floor(report.totalSeconds / 60);
  const seconds = Math.round(report.totalSeconds % 60);
  const sections = [
    "# Benchmark results",
    "",
    "<!-- Written by `npm run bench` (tools/bench). Do not edit by hand: run it again. -->",
    "",
    `Produced by \`${report.command}\` on ${report.generatedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC")}, ` +
      `commit \`${report.commit}\`, in ${minutes} min ${seconds} s${report.quick ? " (**quick mode: short runs, not for the record**)" : ""}.`,
    "",
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB memory, ${machine.os}; ` +
      `Node ${machine.node}, wrangler ${machine.wrangler}, autocannon ${machine.autocannon}; ` +
      `when the bench started, ${Math.round(machine.cpuBusyAtStart * 100)} % CPU busy (load average ${machine.loadAverageAtStart}).`,
    "",
    ...(machine.cpuBusyAtStart > 0.25
      ? [
          `> ⚠ The machine was busy when the bench started (${Math.round(machine.cpuBusyAtStart * 100)} % CPU): ` +
            "the figures are pessimistic. Run again on an idle machine for the record.",
          "",
        ]
      : []),
    `Scenarios: ${report.scenarios.join(", ")}. Raw figures: [results.json](results.json).`,
  ];
  const summary = budgetSummary(comparisons, bundles, throughputs, latencies, loads, readPaths, sitePages);
  if (summary) sections.push("", "## Budgets", "", summary);
  if (loads.length) {
    sections.push("", "## Load", "", loadTable(loads));
    for (const c of comparisons) sections.push("", overheadSection(c, loads));
    for (const readPath of readPaths) sections.push("", renderReadPath(readPath, loads));
  }
  if (cpus.length) {
    sections.push("", "## CPU per request", "", ...cpus.flatMap((m) => [renderCpu(m), ""]), CPU_NOTE);
  }
  if (limits.length) sections.push("", "## Rate limits", "", rateLimitSection(limits));
  if (throughputs.length || latencies.length)
    sections.push("", "## Kafka bridge", "", kafkaSection(throughputs, latencies));
  if (queueLatencies.length)
    sections.push("", "## Event delivery through the Queue", "", renderQueueLatency(queueLatencies));
  if (notices.length) sections.push("", "## Notifications", "", renderNotifications(notices));
  if (uploads.length) sections.push("", "## Media uploads", "", renderUploadThroughput(uploads));
  if (studioUploads.length)
    sections.push("", "## Uploads from the studio (browser)", "", renderStudioUpload(studioUploads));
  if (fanouts.length) sections.push("", "## Live updates", "", renderLiveFanout(fanouts));
  if (sitePages.length) sections.push("", "## Site pages", "", renderSitePages(sitePages));
  if (journeys.length) sections.push("", "## Mixed journey", "", renderMixedJourney(journeys));
  if (metricsCosts.length) sections.push("", "## Metrics", "", ...metricsCosts.map(renderMetricsCost));
  if (bundles.length) sections.push("", "## Bundle sizes", "", bundleTable(bundles));
  sections.push("", METHOD);
  return sections.join("\n");
}

function renderMetricsCost(m: MetricsCostMeasurement): string {
  return [
    "| recording one request's metrics (count + histogram, in-process) | one scrape of `/metrics` |",
    "| --- | --- |",
    `| ${m.recordNsPerRequest} ns (over ${m.recordings.toLocaleString("en")} requests) | ${m.scrapeSamples} samples, ${Math.round(m.scrapeBytes / 1024)} KiB |`,
    "",
    "The scrape's latency and throughput are the `metrics-scrape` row of the Load table.",
  ].join("\n");
}

/** Numbers rounded to what the measurement can support, so the JSON diffs stay readable. */
function rounded(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
}

export function writeReport(report: BenchReport, outDir: string): { markdown: string; json: string } {
  mkdirSync(outDir, { recursive: true });
  const markdown = join(outDir, "RESULTS.md");
  const json = join(outDir, "results.json");
  writeFileSync(markdown, renderMarkdown(report));
  writeFileSync(json, `${JSON.stringify(report, rounded, 2)}\n`);
  return { markdown, json };
}
