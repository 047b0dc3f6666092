import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import { gatewayUrl } from "../../../../test/support/api.ts";

/**
 * What the event router (the events worker) logged each time it delivered an event to every subscriber: one entry
 * per delivery, e.g. "NOTIFICATIONS:duplicate,USERS:duplicate". Read from the stack's wrangler log, as
 * workers/events/test/delivery.platform.test.ts does, because the router's outcomes are written nowhere else.
 */
export function routerDeliveriesOf(eventId: string): string[] {
  const log = readFileSync(join(inject("logDir"), `wrangler-${new URL(gatewayUrl).port}.log`), "utf8");
  return log
    .split("\n")
    .filter((line) => line.includes(eventId) && line.includes('"msg":"delivered"'))
    .map((line) => JSON.parse(line.slice(line.indexOf("{"))) as { outcomes: { binding: string; outcome: string }[] })
    .map((record) =>
      record.outcomes
        .map((outcome) => `${outcome.binding}:${outcome.outcome}`)
        .sort()
        .join(","),
    );
}
