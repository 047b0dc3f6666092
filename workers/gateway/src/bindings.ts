import type { ServiceBindingName } from "@platform/contracts";

/** The gateway's environment: one service binding per domain worker, plus the site. */
export type GatewayBindings = Record<ServiceBindingName, Fetcher> & {
  readonly SITE: Fetcher;
  readonly HEALTH_TIMEOUT_MS?: string;
};
