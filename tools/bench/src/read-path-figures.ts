import type { LoadMeasurement } from "./measurements.ts";
import type { StackMode } from "./stack-mode.ts";

/** One kind of read in the read-path table: its paced and flat-out rows (load measurements, by id). */
export interface ReadPathRow {
  readonly request: string;
  readonly caller: "anonymous" | "signed in";
  readonly path: string;
  readonly pacedId?: string;
  readonly flatOutId?: string;
}

/** A figure of the issue's goal or a DESIGN.md budget: `value` against `limit`, when there is one. */
export interface ReadPathRatio {
  readonly label: string;
  readonly value: number;
  readonly limit?: { readonly at: "least" | "most"; readonly value: number; readonly source: string };
}

export interface ReadPathSummary {
  readonly kind: "read-path";
  readonly scenario: string;
  readonly mode: StackMode;
  readonly rows: readonly ReadPathRow[];
  readonly ratios: readonly ReadPathRatio[];
}

/** CPU per request of one server answering one request, from /proc, per process group. */
export interface CpuRow {
  readonly server: string;
  readonly request: string;
  readonly path: string;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  /** Milliseconds of CPU per request, by process group (label → ms). */
  readonly cpuMsPerRequest: Readonly<Record<string, number>>;
  readonly totalCpuMsPerRequest: number;
  /** Connection errors, timeouts and statuses other than 200. */
  readonly errors: number;
  /** Responses by `x-cache` (the platform says hit, miss or bypass; the peer says nothing). */
  readonly cache: Readonly<Record<string, number>>;
}

export interface CpuComparison {
  readonly request: string;
  /** Platform req/s ÷ peer req/s, flat out. */
  readonly throughputRatio: number;
  /** Platform CPU per request ÷ peer CPU per request. */
  readonly cpuRatio: number;
}

export interface CpuPerRequestMeasurement {
  readonly kind: "cpu-per-request";
  readonly scenario: string;
  readonly mode: StackMode;
  readonly rows: readonly CpuRow[];
  readonly comparisons: readonly CpuComparison[];
  /**
   * CPU seconds per second each group used with no request (server → group → rate), watched
   * before measuring and subtracted from each load over its wall time.
   */
  readonly idleCpuPerSecond: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const ms = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value.toFixed(2) : "–");
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "–");

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function cacheOf(m: LoadMeasurement | undefined): string {
  const counts = m?.observedHeader?.counts;
  if (!counts) return "";
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([value, n]) => `${value} ${n}`)
    .join(", ");
}

function loadCell(m: LoadMeasurement | undefined): string {
  if (!m?.targetRate) return "";
  return m.requestsPerSecond < m.targetRate * 0.95 ? ` ⚠ reached ${m.requestsPerSecond.toFixed(0)}` : "";
}

function verdict(r: ReadPathRatio): string {
  if (!r.limit) return "for information";
  const ok = r.limit.at === "least" ? r.value >= r.limit.value : r.value <= r.limit.value;
  return `${ok ? "✅" : "❌"} ${r.limit.at === "least" ? "≥" : "≤"} ${r.limit.value}× (${r.limit.source})`;
}

export function renderReadPath(summary: ReadPathSummary, loads: readonly LoadMeasurement[]): string {
  const byId = (id: string | undefined) => (id ? loads.find((m) => m.id === id) : undefined);
  const rows = summary.rows.map((row) => {
    const paced = byId(row.pacedId);
    const flat = byId(row.flatOutId);
    const errors = [paced, flat].reduce((sum, m) => sum + (m ? m.transportErrors + m.unexpectedStatuses : 0), 0);
    return [
      row.request,
      row.caller,
      `\`${row.path}\``,
      `${ms(paced?.latencyMs.p50)}${loadCell(paced)}`,
      ms(paced?.latencyMs.p99),
      flat ? flat.requestsPerSecond.toFixed(0) : "–",
      ms(flat?.latencyMs.p50),
      ms(flat?.latencyMs.p99),
      [cacheOf(paced), cacheOf(flat)].filter(Boolean).join(" / "),
      String(errors),
    ];
  });
  return [
    `### Read path (${summary.scenario})`,
    "",
    table(
      [
        "request",
        "caller",
        "path",
        "p50 ms at 50 req/s",
        "p99 ms at 50 req/s",
        "req/s flat out",
        "p50 ms flat out",
        "p99 ms flat out",
        "x-cache (paced / flat out)",
        "errors",
      ],
      rows,
    ),
    "",
    table(
      ["ratio", "value", ""],
      summary.ratios.map((r) => [r.label, `**${ratio(r.value)}**`, verdict(r)]),
    ),
  ].join("\n");
}

export function renderCpu(m: CpuPerRequestMeasurement): string {
  const groups = [...new Set(m.rows.flatMap((row) => Object.keys(row.cpuMsPerRequest)))];
  return [
    `### CPU per request (${m.scenario})`,
    "",
    table(
      [
        "server",
        "request",
        "requests",
        "req/s",
        "p50 ms",
        "p99 ms",
        ...groups.map((g) => `${g} ms`),
        "**total CPU ms/request**",
        "x-cache",
        "errors",
      ],
      m.rows.map((row) => [
        row.server,
        row.request,
        String(row.requests),
        row.requestsPerSecond.toFixed(0),
        ms(row.latencyMs.p50),
        ms(row.latencyMs.p99),
        ...groups.map((g) => ms(row.cpuMsPerRequest[g])),
        `**${ms(row.totalCpuMsPerRequest)}**`,
        Object.entries(row.cache)
          .map(([value, n]) => `${value} ${n}`)
          .join(", "),
        String(row.errors),
      ]),
    ),
    "",
    table(
      ["request", "req/s platform ÷ peer", "CPU per request platform ÷ peer"],
      m.comparisons.map((c) => [c.request, ratio(c.throughputRatio), `**${ratio(c.cpuRatio)}**`]),
    ),
    "",
    `Idle CPU, subtracted (ms of CPU per second with no request): ${Object.entries(m.idleCpuPerSecond)
      .map(
        ([server, rates]) =>
          `${server}: ${Object.entries(rates)
            .map(([group, rate]) => `${group} ${(rate * 1000).toFixed(1)}`)
            .join(", ")}`,
      )
      .join("; ")}.`,
  ].join("\n");
}
