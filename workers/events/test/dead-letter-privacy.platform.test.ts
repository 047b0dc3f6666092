import { v7 as uuidv7 } from "uuid";
import { describe, expect, it } from "vitest";
import { triggerCron } from "@platform/dev-stack";
import { buildEvent } from "@platform/events";
import { api, gatewayUrl, registerAndLogin } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";

/**
 * Issue 15 on the running stack: the events worker, which routes every event, applies USER_DELETED
 * to its own dead letters (the erased person's go), and the gateway's hourly retention cron has it
 * delete old dead letters. The rules themselves, case by case, are dead-letter-erasure.routes.test.ts
 * and dead-letter-retention.routes.test.ts.
 */

/** `RETENTION_CRON` in workers/gateway/src/cron-chores.ts (not imported: that module is workerd's). */
const RETENTION_CRON = "17 * * * *";

/** A dead letter as the dead-letter consumer records one, received `ageDays` ago. */
async function deadLetter(body: { id: string; type: string }, ageDays = 0): Promise<string> {
  const id = uuidv7();
  await db.query(
    `insert into events.dead_letters (id, message_id, event_id, event_type, body, attempts, reason, received_at)
     values ($1, $2, $3, $4, $5, 5, 'NOTIFICATIONS: the mail service is down',
       now() - make_interval(secs => ${ageDays * 86_400}))`,
    [id, `message-${id}`, body.id, body.type, JSON.stringify(body)],
  );
  return id;
}

const deadLetterHas = async (id: string) =>
  (await db.query("select 1 from events.dead_letters where id = $1", [id])).rowCount === 1;

describe("dead letters and privacy", () => {
  it("an erasure reaches the router: the erased person's dead USER_CREATED goes with their email and name", async () => {
    const session = await registerAndLogin("dead-letter-erasure");
    const { rows } = await db.query<{ envelope: { id: string; type: string; data: { email: string; name: string } } }>(
      "select envelope from auth.outbox where aggregate_id = $1 and type = 'USER_CREATED'",
      [session.userId],
    );
    const created = rows[0]?.envelope;
    if (!created) throw new Error("no USER_CREATED in the auth outbox");
    // As if a subscriber had failed on it through all its retries (the Queue's copy of the event).
    const letter = await deadLetter(created);

    expect((await api("DELETE", "/api/users/me", { token: session.tokens.accessToken })).status).toBe(204);

    await expect.poll(() => deadLetterHas(letter), { ...ASYNC_EFFECTS, message: "the dead letter erased" }).toBe(false);
    const applied = await db.query(
      `select 1 from events.processed_events where type = 'USER_DELETED'
         and event_id = (select id from auth.outbox where aggregate_id = $1 and type = 'USER_DELETED')`,
      [session.userId],
    );
    expect(applied.rowCount, "applied once, deduped on the event id").toBe(1);
    for (const needle of [created.data.email, created.data.name]) {
      const { rows: left } = await db.query("select 1 from events.dead_letters d where strpos(d::text, $1) > 0", [
        needle,
      ]);
      expect(left).toEqual([]);
    }
  });

  it("the hourly retention cron deletes dead letters received more than DEAD_LETTER_RETENTION_DAYS ago", async () => {
    const dead = () =>
      buildEvent(
        "USER_CREATED",
        { userId: uuidv7(), email: `dead-${uuidv7()}@example.test`, name: "Long Dead", roles: ["learner"] },
        { source: "auth", correlationId: "dead-letter-retention" },
      );
    const old = await deadLetter(dead(), 31);
    const young = await deadLetter(dead(), 1);

    await triggerCron(gatewayUrl, RETENTION_CRON);

    await expect
      .poll(() => deadLetterHas(old), { ...ASYNC_EFFECTS, message: "the old dead letter pruned" })
      .toBe(false);
    expect(await deadLetterHas(young)).toBe(true);
  });
});
