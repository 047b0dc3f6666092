/**
 * What every domain worker answers on its internal `GET /health` (reached only through its
 * service binding), loosely after the IETF health-check draft: `pass` or `fail` plus details.
 */
export interface ServiceHealth {
  readonly service: string;
  readonly status: "pass" | "fail";
  readonly checks: {
    readonly database:
      | { status: "pass"; schema: string; migrationsApplied: number; latencyMs: number }
      | { status: "fail"; schema: string; error: string };
  };
}

/**
 * What the gateway answers on `GET /api/health`. Anyone gets the statuses; `latencyMs` and
 * `error` (which can quote a database's error text) only a caller with an admin's token gets.
 */
export interface PlatformHealth {
  readonly status: "pass" | "fail";
  readonly gateway: { status: "pass" };
  readonly services: Record<string, { status: "pass" | "fail"; latencyMs?: number; error?: string }>;
  readonly database: { status: "pass" | "fail"; schemas: Record<string, "pass" | "fail"> };
  readonly site: { status: "pass" | "fail"; error?: string };
}
