import { DOMAIN_SERVICES, bindingNameOf, type PlatformHealth, type ServiceHealth } from "@platform/contracts";
import type { GatewayBindings } from "./bindings.ts";
import { internalHeaders } from "./internal-headers.ts";

type ProbeResult = { ok: true; latencyMs: number; body: unknown } | { ok: false; latencyMs: number; error: string };

async function probe(fetcher: Fetcher, url: string, correlationId: string, timeoutMs: number): Promise<ProbeResult> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const response = await Promise.race([fetcher.fetch(url, { headers: internalHeaders(correlationId) }), timeout]);
    const latencyMs = Date.now() - started;
    const isJson = response.headers.get("content-type")?.includes("json") ?? false;
    const body: unknown = isJson ? await response.json() : await response.body?.cancel();
    if (!response.ok) return { ok: false, latencyMs, error: `answered ${response.status}`, ...(body ? { body } : {}) };
    return { ok: true, latencyMs, body };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Date.now() - started,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

function isServiceHealth(value: unknown): value is ServiceHealth {
  return typeof value === "object" && value !== null && "checks" in value && "status" in value;
}

/**
 * Asks every domain worker (each checks its own schema through the Neon driver) and the site, in
 * parallel. The database is reported per schema, as the workers see it: the gateway itself never
 * talks to PostgreSQL.
 */
export async function platformHealth(env: GatewayBindings, correlationId: string): Promise<PlatformHealth> {
  const timeoutMs = Number(env.HEALTH_TIMEOUT_MS ?? "3000");
  const [serviceResults, site] = await Promise.all([
    Promise.all(
      DOMAIN_SERVICES.map(async (service) => {
        const result = await probe(env[bindingNameOf(service)], "http://internal/health", correlationId, timeoutMs);
        return [service, result] as const;
      }),
    ),
    probe(env.SITE, "http://internal/", correlationId, timeoutMs),
  ]);

  const services: PlatformHealth["services"] = {};
  const schemas: Record<string, "pass" | "fail"> = {};
  for (const [service, result] of serviceResults) {
    const body = "body" in result ? result.body : undefined;
    const health = isServiceHealth(body) ? body : undefined;
    schemas[service] = health?.checks.database.status ?? "fail";
    services[service] = result.ok
      ? { status: "pass", latencyMs: result.latencyMs }
      : {
          status: "fail",
          latencyMs: result.latencyMs,
          error: health?.checks.database.status === "fail" ? `database: ${health.checks.database.error}` : result.error,
        };
  }
  const databaseStatus = Object.values(schemas).every((s) => s === "pass") ? "pass" : "fail";
  const siteHealth: PlatformHealth["site"] = site.ok ? { status: "pass" } : { status: "fail", error: site.error };
  const allPass = databaseStatus === "pass" && site.ok && Object.values(services).every((s) => s.status === "pass");
  return {
    status: allPass ? "pass" : "fail",
    gateway: { status: "pass" },
    services,
    database: { status: databaseStatus, schemas },
    site: siteHealth,
  };
}

/**
 * What an anonymous caller (or one without the admin role) sees: the statuses only. Error text
 * can quote PostgreSQL or a worker (host names, database names, why a connection failed), which
 * is for the people who run the platform; it stays in the answer to an admin's token and in the
 * workers' own internal `/health`.
 */
export function statusesOnly(health: PlatformHealth): PlatformHealth {
  return {
    status: health.status,
    gateway: { status: health.gateway.status },
    services: Object.fromEntries(Object.entries(health.services).map(([service, { status }]) => [service, { status }])),
    database: { status: health.database.status, schemas: { ...health.database.schemas } },
    site: { status: health.site.status },
  };
}
