import { expect, it } from "vitest";
import { buildEvent, outboxRowOf } from "@platform/events";
import { triggerCron } from "@platform/dev-stack";
import { gatewayUrl } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";

/**
 * The retention chore end to end: the gateway's hourly cron trigger asks every worker, through
 * its binding, to prune its event tables, and each deletes in its own schema what was delivered
 * long ago, and nothing else.
 */

/** `RETENTION_CRON` in workers/gateway/src/cron-chores.ts, one of the root wrangler.toml's triggers (not imported: that module is workerd's). */
const RETENTION_CRON = "17 * * * *";

/** A `USER_CREATED` row in the auth outbox, written `ageDays` ago and delivered (confirmed, published to Kafka). */
async function deliveredRow(ageDays: number): Promise<string> {
  const event = buildEvent(
    "USER_CREATED",
    { userId: crypto.randomUUID(), email: `retained-${ageDays}@example.test`, name: "Retained", roles: ["learner"] },
    { source: "auth", correlationId: "retention-platform-test" },
  );
  const row = outboxRowOf(event);
  const at = `now() - make_interval(secs => ${ageDays * 86_400})`;
  await db.query(
    `insert into auth.outbox (id, type, topic, aggregate_id, envelope, created_at, queued_at, queue_sends,
       confirmed_at, kafka_published_at)
     values ($1, $2, $3, $4, $5, ${at}, ${at}, 1, ${at}, ${at})`,
    [row.id, row.type, row.topic, row.aggregateId, JSON.stringify(row.envelope)],
  );
  return event.id;
}

async function processedMark(ageDays: number): Promise<string> {
  const id = crypto.randomUUID();
  await db.query(
    `insert into users.processed_events (event_id, type, correlation_id, processed_at)
     values ($1, 'USER_CREATED', 'retention-platform-test', now() - make_interval(secs => ${ageDays * 86_400}))`,
    [id],
  );
  return id;
}

const outboxHas = async (id: string) =>
  (await db.query("select 1 from auth.outbox where id = $1", [id])).rowCount === 1;
const processedHas = async (id: string) =>
  (await db.query("select 1 from users.processed_events where event_id = $1", [id])).rowCount === 1;

it("the hourly cron deletes an old delivered outbox row and an old dedupe mark in the workers' schemas, and keeps young ones", async () => {
  const oldRow = await deliveredRow(8);
  const youngRow = await deliveredRow(1);
  const oldMark = await processedMark(31);
  const youngMark = await processedMark(1);

  await triggerCron(gatewayUrl, RETENTION_CRON);

  await expect.poll(() => outboxHas(oldRow), { ...ASYNC_EFFECTS, message: "old delivered row pruned" }).toBe(false);
  await expect.poll(() => processedHas(oldMark), { ...ASYNC_EFFECTS, message: "old dedupe mark pruned" }).toBe(false);
  expect(await outboxHas(youngRow)).toBe(true);
  expect(await processedHas(youngMark)).toBe(true);
});
