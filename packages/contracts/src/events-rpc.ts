/** What one run of the webhook sweep did (docs/integrators.md#webhooks). */
export interface WebhookSweepReport {
  /** Deliveries whose time had come and that this run tried. */
  readonly attempted: number;
  readonly succeeded: number;
  /** Failed, with retries left: due again after the schedule's next wait. */
  readonly rescheduled: number;
  /** Failed with no retries left. */
  readonly failed: number;
  /** Endpoints disabled because they had failed for the whole schedule; their owners are told. */
  readonly endpointsDisabled: number;
}

/** The event router's RPC beyond the kit's: what the gateway's cron asks of it. */
export interface EventsRpc {
  /** The minute's webhook chore: sends the deliveries whose time has come, a bounded batch. */
  sendDueWebhooks(): Promise<WebhookSweepReport>;
}
