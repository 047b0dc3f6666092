import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { logLine } from "@platform/http-kit";
import { runInSpan, startTrace } from "@platform/http-kit/trace";

/**
 * The compose log store (docs/observability.md#locally-in-grafana): `vector` tails `npm start`'s log
 * files and pushes the workers' JSON lines to `loki`, which Grafana has as a data source beside
 * Prometheus. No Docker engine here, so the files are checked as far as they can be without one:
 * they parse, they point at each other (paths, ports, service names), and the collector's pattern
 * really picks a worker's line out of wrangler's output.
 */
const repoPath = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
type Yaml = Record<string, unknown>;
const readYaml = (relative: string) => parse(readFileSync(repoPath(relative), "utf8")) as Yaml;
const record = (value: unknown): Yaml => (typeof value === "object" && value !== null ? (value as Yaml) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const services = record(readYaml("docker-compose.yml").services);
const service = (name: string) => record(services[name]);
/** A service's bind mounts as [source, target] (short syntax). */
const mounts = (name: string) => list(service(name).volumes).map((volume) => String(volume).split(":"));
const mountedAt = (name: string, target: string) => mounts(name).find(([, to]) => to === target)?.[0];

const vector = readYaml("deploy/vector/vector.yml");
const loki = readYaml("deploy/loki/loki.yml");

describe("the compose log store", () => {
  it("runs loki and vector from pinned images, each reading its config from the repository", () => {
    expect(String(service("loki").image)).toMatch(/^grafana\/loki:\d+\.\d+\.\d+$/);
    expect(String(service("vector").image)).toMatch(/^timberio\/vector:\d+\.\d+\.\d+-/);
    expect(mountedAt("loki", "/etc/loki/loki.yml")).toBe("./deploy/loki/loki.yml");
    expect(list(service("loki").command).join(" ")).toContain("-config.file=/etc/loki/loki.yml");
    expect(mountedAt("vector", "/etc/vector/vector.yml")).toBe("./deploy/vector/vector.yml");
    expect(list(service("vector").command)).toEqual(["--config", "/etc/vector/vector.yml"]);
    for (const file of ["deploy/loki/loki.yml", "deploy/vector/vector.yml"])
      expect(existsSync(repoPath(file))).toBe(true);
  });

  it("has vector read `npm start`'s log folder, read-only, where its file source looks", () => {
    const logs = list(service("vector").volumes)
      .map(String)
      .find((volume) => volume.includes("/var/log/platform"));
    // PLATFORM_LOG_DIR, else the default data folder's logs (tools/dev-stack: <PLATFORM_DATA_DIR>/logs).
    expect(logs).toBe("${PLATFORM_LOG_DIR:-./.data/logs}:/var/log/platform:ro");
    const source = record(record(vector.sources).platform_files);
    expect(source.type).toBe("file");
    expect(list(source.include)).toEqual(["/var/log/platform/wrangler-*.log"]);
  });

  it("chains vector's source, transform and Loki sink, and pushes to the loki service's port", () => {
    const transform = record(record(vector.transforms).worker_lines);
    expect(transform.type).toBe("remap");
    expect(list(transform.inputs)).toEqual(["platform_files"]);
    const sink = record(record(vector.sinks).loki);
    expect(sink.type).toBe("loki");
    expect(list(sink.inputs)).toEqual(["worker_lines"]);
    const port = record(loki.server).http_listen_port;
    expect(sink.endpoint).toBe(`http://loki:${String(port)}`);
    expect(list(service("loki").ports)).toContain(`127.0.0.1:${String(port)}:${String(port)}`);
    // Labels of low cardinality only: ids (trace, correlation, user) stay in the line for LogQL's `| json`.
    expect(Object.keys(record(sink.labels)).sort()).toEqual(["level", "service", "source"]);
  });

  it("picks a worker's JSON line out of wrangler's output with the collector's own pattern", () => {
    const source = String(transform().source);
    const pattern = /parse_regex\(\.message, r'(.+)'\)/.exec(source)?.[1];
    expect(pattern, "the remap's parse_regex pattern").toBeDefined();
    // VRL (Rust's regex) names groups (?P<name>…); JavaScript's are (?<name>…).
    const regex = new RegExp((pattern ?? "").replaceAll("(?P<", "(?<"));
    const line = workerLine();
    const match = regex.exec(`[platform-auth] ${line}`);
    expect(match?.groups).toEqual({ worker: "platform-auth", json: line });
    expect(JSON.parse(match?.groups?.json ?? "{}")).toMatchObject({ service: "auth", level: "warn" });
    // wrangler's own lines are not ours, and are dropped.
    expect(regex.exec("⛅️ wrangler 4.164.0")).toBeNull();
    expect(regex.exec("[wrangler:info] Ready on http://127.0.0.1:8787")).toBeNull();
  });

  it("keeps Loki's data on its volume, with a schema and retention it accepts", () => {
    const [schema] = list(record(loki.schema_config).configs).map(record);
    expect(schema).toMatchObject({ store: "tsdb", object_store: "filesystem", schema: "v13" });
    expect(record(loki.compactor)).toMatchObject({ retention_enabled: true, delete_request_store: "filesystem" });
    expect(record(loki.common).path_prefix).toBe("/loki");
    expect(mounts("loki").map(([from, to]) => `${from}:${to}`)).toContain("loki-data:/loki");
    expect(Object.keys(record(readYaml("docker-compose.yml").volumes))).toEqual(
      expect.arrayContaining(["loki-data", "vector-data"]),
    );
  });
});

describe("Grafana's data sources", () => {
  const folder = "deploy/grafana/provisioning/datasources";
  const sources = ["prometheus.yml", "loki.yml"].flatMap((file) =>
    list(readYaml(`${folder}/${file}`).datasources).map(record),
  );

  it("are Prometheus (the default) and Loki, each at its compose service", () => {
    expect(sources.map((source) => [source.name, source.type, source.url])).toEqual([
      ["Prometheus", "prometheus", "http://prometheus:9090"],
      ["Loki", "loki", "http://loki:3100"],
    ]);
    expect(sources.filter((source) => source.isDefault === true).map((source) => source.name)).toEqual(["Prometheus"]);
    expect(new Set(sources.map((source) => source.uid)).size).toBe(sources.length);
    expect(mountedAt("grafana", "/etc/grafana/provisioning/datasources")).toBe(`./${folder}`);
    expect(record(service("grafana").depends_on)).toHaveProperty("loki");
  });

  it("link a line's trace id to every line of that trace", () => {
    const lokiSource = sources.find((source) => source.type === "loki");
    const [field] = list(record(lokiSource?.jsonData).derivedFields).map(record);
    expect(field).toMatchObject({ name: "traceId", datasourceUid: lokiSource?.uid });
    const line = workerLine();
    const traceId = (JSON.parse(line) as { traceId: string }).traceId;
    expect(new RegExp(String(field?.matcherRegex)).exec(line)?.[1]).toBe(traceId);
    // `$$` is how a provisioning file writes a literal `$` (Grafana expands `$NAME` from the environment).
    expect(String(field?.url)).toContain("$${__value.raw}");
  });
});

function transform(): Yaml {
  return record(record(vector.transforms).worker_lines);
}

/** A real log line, as `logLine` writes it inside a request's span. */
function workerLine(): string {
  const printed: string[] = [];
  const original = console.warn;
  console.warn = (line: string) => printed.push(line);
  try {
    runInSpan(startTrace(), () => logLine("warn", "auth", "login refused", { correlationId: "c-1" }));
  } finally {
    console.warn = original;
  }
  return printed[0] ?? "";
}
