import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * docker-compose.yml is the documented alternative to `npm start`'s embedded dependencies. These
 * machines have no Docker engine, so instead of starting it we check what would otherwise only
 * break on someone else's machine: names the docs rely on, reproducible images, nothing exposed
 * beyond loopback, and config files that really exist where the services mount them from.
 */

const repoRoot = new URL("../../", import.meta.url);
const repoPath = (relative: string): string => fileURLToPath(new URL(relative, repoRoot));

const EXPECTED_SERVICES = ["postgres", "neon-proxy", "kafka", "mailpit", "prometheus", "grafana"] as const;

type YamlRecord = Record<string, unknown>;

function isRecord(value: unknown): value is YamlRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown, where: string): YamlRecord {
  if (!isRecord(value)) throw new Error(`${where} is not a mapping`);
  return value;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function readYaml(relative: string): YamlRecord {
  return asRecord(parse(readFileSync(repoPath(relative), "utf8")) as unknown, relative);
}

const compose = readYaml("docker-compose.yml");
const services = asRecord(compose.services, "docker-compose.yml `services`");
const serviceEntries = Object.entries(services).map(
  ([name, body]) => [name, asRecord(body, `service ${name}`)] as const,
);

function service(name: string): YamlRecord {
  return asRecord(services[name], `service ${name}`);
}

/** `registry:5000/name:tag` or `name@sha256:…` → the tag or digest, or undefined when neither is given. */
function imageVersion(image: string): string | undefined {
  const digest = image.split("@")[1];
  if (digest) return digest;
  const lastSegment = image.split("/").at(-1) ?? image;
  return lastSegment.includes(":") ? lastSegment.split(":").at(-1) : undefined;
}

/** The host address a published port binds to; undefined means every interface. */
function publishedHostIp(port: unknown): string | undefined {
  if (isRecord(port)) return typeof port.host_ip === "string" ? port.host_ip : undefined;
  // Short syntax: [HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL]; only the three-part form names an address.
  const parts = String(port).split(":");
  return parts.length === 3 ? parts[0] : undefined;
}

interface BindMount {
  readonly service: string;
  readonly source: string;
  readonly target: string;
}

/** Mounts whose source is a path in this repository (named volumes have no leading `./`). */
function repoBindMounts(): BindMount[] {
  return serviceEntries.flatMap(([name, body]) =>
    listOf(body.volumes).flatMap((volume): BindMount[] => {
      const [source, target] = isRecord(volume)
        ? [String(volume.source ?? ""), String(volume.target ?? "")]
        : String(volume).split(":");
      return source?.startsWith("./") && target ? [{ service: name, source, target }] : [];
    }),
  );
}

/** The `## ` section of README.md about Compose, headings inside code fences ignored. */
function readmeComposeSection(): string {
  const readme = repoPath("README.md");
  if (!existsSync(readme)) throw new Error("README.md is missing; it must document docker-compose.yml");
  const section: string[] = [];
  let inSection = false;
  let inFence = false;
  for (const line of readFileSync(readme, "utf8").split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const isHeading = !inFence && /^#{1,2} /.test(line);
    if (isHeading) inSection = line.startsWith("## ") && /docker[- ]compose/i.test(line);
    else if (inSection) section.push(line);
  }
  if (section.length === 0) throw new Error('README.md has no "## …" section about docker-compose / Docker Compose');
  return section.join("\n");
}

describe("docker-compose.yml: the dependencies as containers", () => {
  it("defines the six services the docs name", () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining([...EXPECTED_SERVICES]));
  });

  it("pins every image to a tag or digest other than latest, so an `up` next year starts the same thing", () => {
    for (const [name, body] of serviceEntries) {
      expect(typeof body.image, `${name} has no image`).toBe("string");
      const version = imageVersion(String(body.image));
      expect(version, `${name}: ${String(body.image)} has no tag`).toBeTruthy();
      expect(version, `${name}: ${String(body.image)}`).not.toBe("latest");
    }
  });

  it("publishes every port on 127.0.0.1 only (default credentials must not reach the network)", () => {
    const published = serviceEntries.flatMap(([name, body]) => listOf(body.ports).map((port) => ({ name, port })));
    expect(published.length).toBeGreaterThan(0);
    for (const { name, port } of published) {
      expect(publishedHostIp(port), `${name}: ${JSON.stringify(port)}`).toBe("127.0.0.1");
    }
  });

  it("mounts only config files that exist in the repository", () => {
    const mounts = repoBindMounts();
    // Prometheus and Grafana both read their config from the repo; an empty list means the parsing broke.
    expect(mounts.map((mount) => mount.service).sort()).toEqual(expect.arrayContaining(["grafana", "prometheus"]));
    for (const mount of mounts) {
      expect(existsSync(repoPath(mount.source)), `${mount.service} mounts ${mount.source}`).toBe(true);
    }
  });

  it("only waits for services that define a healthcheck (compose refuses `service_healthy` otherwise)", () => {
    for (const [name, body] of serviceEntries) {
      const dependsOn = isRecord(body.depends_on) ? body.depends_on : {};
      for (const [dependency, condition] of Object.entries(dependsOn)) {
        if (!isRecord(condition) || condition.condition !== "service_healthy") continue;
        expect(service(dependency).healthcheck, `${name} waits for ${dependency} to be healthy`).toBeDefined();
      }
    }
  });

  it("keeps PostgreSQL 18's data in the volume (18+ stores it under /var/lib/postgresql, not …/data)", () => {
    const targets = listOf(service("postgres").volumes).map((volume) =>
      isRecord(volume) ? String(volume.target) : String(volume).split(":")[1],
    );
    expect(targets).toContain("/var/lib/postgresql");
  });

  it("has Prometheus scrape the Kafka bridge on the host", () => {
    const prometheus = service("prometheus");
    const config = repoBindMounts().find(
      (mount) => mount.service === "prometheus" && mount.target === "/etc/prometheus/prometheus.yml",
    );
    expect(config, "prometheus mounts its config from the repo").toBeDefined();
    const scrapeConfigs = listOf(readYaml(config?.source ?? "").scrape_configs).filter(isRecord);
    const bridge = scrapeConfigs.find((job) => job.job_name === "kafka-bridge");
    expect(bridge, "a `kafka-bridge` scrape job").toBeDefined();
    const targets = listOf(bridge?.static_configs)
      .filter(isRecord)
      .flatMap((group) => listOf(group.targets));
    expect(targets).toContain("host.docker.internal:9464");
    expect(bridge?.metrics_path ?? "/metrics").toBe("/metrics");
    // Docker Desktop defines host.docker.internal itself; Docker Engine on Linux only with this entry.
    expect(listOf(prometheus.extra_hosts)).toContain("host.docker.internal:host-gateway");
  });

  it("matches the services README.md lists in its Compose section", () => {
    const known = new Set<string>([...Object.keys(services), ...EXPECTED_SERVICES]);
    // Inline code that looks like a service name; other inline code (`npm start`, `DATABASE_URL`, a
    // user name that is not a service) is not a claim about the compose file.
    const mentioned = new Set(
      [...readmeComposeSection().matchAll(/`([a-z][a-z0-9-]*)`/g)]
        .map((match) => match[1] ?? "")
        .filter((word) => known.has(word)),
    );
    for (const expected of EXPECTED_SERVICES) expect(mentioned, `README mentions \`${expected}\``).toContain(expected);
    for (const name of mentioned) expect(Object.keys(services), `README mentions \`${name}\``).toContain(name);
  });
});
