import type { ServiceBindingName } from "@platform/contracts";

/** The gateway's environment: one service binding per domain worker, plus the site. */
export type GatewayBindings = Record<ServiceBindingName, Fetcher> & {
  readonly SITE: Fetcher;
  readonly HEALTH_TIMEOUT_MS?: string;
  /** Must equal the auth worker's: the `iss` and `aud` every access token is checked against. */
  readonly JWT_ISSUER: string;
  readonly JWT_AUDIENCE: string;
};
