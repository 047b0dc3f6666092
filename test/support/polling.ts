/**
 * How long a test waits for an effect that arrives asynchronously (Queue delivery, an outbox
 * relay, the cron sweep, a cache invalidation) and how often it looks again: for
 * `expect.poll(…, { ...ASYNC_EFFECTS, message })` and `vi.waitFor(…, ASYNC_EFFECTS)`. The deadline
 * bounds the wait; it is not a timing assertion.
 */
export const ASYNC_EFFECTS = { timeout: 20_000, interval: 150 } as const;
