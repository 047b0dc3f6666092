/**
 * The gateway's tunable limits, read from wrangler vars. A missing or malformed value falls back
 * to the production default rather than failing every request: each default is the safe choice.
 */
export interface GatewaySettingsVars {
  readonly MAX_BODY_BYTES?: string;
  readonly LOGIN_RATE_LIMIT?: string;
  readonly LOGIN_RATE_WINDOW_SECONDS?: string;
  readonly REGISTER_RATE_LIMIT?: string;
  readonly REGISTER_RATE_WINDOW_SECONDS?: string;
  /** Must equal the `API_RATE_LIMITER` binding's period: the Retry-After its refusals carry. */
  readonly API_RATE_PERIOD_SECONDS?: string;
}

export const DEFAULTS = {
  maxBodyBytes: 1024 * 1024,
  login: { limit: 10, windowSeconds: 60 },
  register: { limit: 5, windowSeconds: 60 },
  apiPeriodSeconds: 60,
} as const;

export function positiveInteger(value: string | undefined, fallback: number): number {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return fallback;
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : fallback;
}

export function maxBodyBytes(vars: GatewaySettingsVars): number {
  return positiveInteger(vars.MAX_BODY_BYTES, DEFAULTS.maxBodyBytes);
}

export function apiPeriodSeconds(vars: GatewaySettingsVars): number {
  return positiveInteger(vars.API_RATE_PERIOD_SECONDS, DEFAULTS.apiPeriodSeconds);
}
