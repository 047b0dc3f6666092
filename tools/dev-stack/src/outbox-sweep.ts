/**
 * Cron triggers do not fire under `wrangler dev`; with `--test-scheduled` the gateway's
 * scheduled handler (which asks every worker to relay what its fast path missed) can be called
 * over HTTP. `npm start` calls it on a timer; tests call it when they need a sweep now.
 */
export async function triggerOutboxSweep(gatewayUrl: string): Promise<void> {
  await triggerCron(gatewayUrl, "* * * * *");
}

/** Calls the gateway's scheduled handler as the given cron trigger would (e.g. the hourly retention chore). */
export async function triggerCron(gatewayUrl: string, cron: string): Promise<void> {
  const response = await fetch(`${gatewayUrl}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}`, {
    signal: AbortSignal.timeout(30_000),
  });
  await response.text();
  if (!response.ok) throw new Error(`The cron trigger "${cron}" answered ${response.status}`);
}

/** Runs the sweep every `intervalMs` until stopped; a failed run is reported and the timer goes on. */
export function startSweepTimer(gatewayUrl: string, intervalMs: number, onError: (error: unknown) => void) {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = triggerOutboxSweep(gatewayUrl).catch(onError);
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
