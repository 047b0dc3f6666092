import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { DOMAIN_SERVICES } from "@platform/contracts";
import { setProxyDatabaseState, triggerOutboxSweep } from "@platform/dev-stack";
import { standInClient } from "@platform/stripe-stand-in";
import { api, gatewayUrl, uniqueEmail, GOOD_PASSWORD } from "../../../test/support/api.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";

/**
 * Issue 15, "events can be lost for good": PostgreSQL unreachable for the workers (the Neon
 * proxy's switch; this test keeps its own direct connection) for longer than every delivery
 * window of the test stack (test/setup/platform.ts: Queue retries at once ×5, dead-letter retries
 * at once ×10, re-send after 10 s), while registrations, purchases and refunds are written before
 * and after. Events the Queue held at the cut are dropped by it; the producers' sweeps send them
 * again, and every committed event ends applied exactly once by each subscriber.
 */
const proxyPort = inject("proxyPort");
const stripe = standInClient(inject("stripeStandInUrl"));
/** Longer than the test stack's Queue retries, dead-letter retries and re-send window together (≈ 6 + 11 + 10 s). */
const OUTAGE_MS = 35_000;

/** The event types whose subscriber records them in its processed_events (`consumeOnce`), by subscriber schema. */
const DEDUPED_BY: Record<string, string> = {
  USER_CREATED: "users",
  COURSE_PURCHASED: "courses",
  PAYMENT_REFUNDED: "courses",
};

/** The gateway's cron handler runs the sweep in `waitUntil`: the trigger answers before the sweep ends. */
const sweepsLogged = () =>
  readFileSync(join(inject("logDir"), `wrangler-${new URL(gatewayUrl).port}.log`), "utf8")
    .split("\n")
    .filter((line) => line.includes('"msg":"outbox sweep"')).length;
let sweepsBefore = 0;
let sweepsTriggered = 0;
async function sweep() {
  sweepsTriggered += 1;
  await triggerOutboxSweep(gatewayUrl);
}

let author: Person;
let course: CourseBody;
let startedAt: Date;
const registered: string[] = [];
const paid: Array<{ paymentId: string; buyer: Person }> = [];
const refunded = new Set<string>();

beforeAll(async () => {
  author = await instructor("outage-author");
  course = await publishedCourse(author, { price: { amountMinor: 4900, currency: "EUR" } });
  startedAt = (await db.query<{ now: Date }>("select now()")).rows[0]?.now ?? new Date();
  sweepsBefore = sweepsLogged();
});

afterAll(async () => {
  // Whatever happened above, the next test file gets its database back, and no sweep of ours still runs into it.
  await setProxyDatabaseState(proxyPort, "up");
  await vi.waitFor(() => expect(sweepsLogged() - sweepsBefore).toBeGreaterThanOrEqual(sweepsTriggered), {
    timeout: 30_000,
    interval: 250,
  });
});

async function register(tag: string): Promise<Person> {
  const person = await learner(tag);
  registered.push(person.userId);
  return person;
}

/** Opens a checkout at the stand-in; the purchase is paid (COURSE_PURCHASED) when `pay` delivers its webhook. */
async function openCheckout(buyer: Person) {
  const answer = await api<{ paymentId: string; checkoutUrl: string }>("POST", `/api/payments/courses/${course.id}`, {
    token: buyer.token,
  });
  if (answer.status !== 201) throw new Error(`purchase answered ${answer.status} ${JSON.stringify(answer.body)}`);
  const sessionId = /\/(cs_test_[A-Za-z0-9]+)$/.exec(new URL(answer.body.checkoutUrl).pathname)?.[1] ?? "";
  const pay = async () => {
    const result = await stripe.completeCheckout(sessionId);
    if (result.deliveries.some((delivery) => delivery.status !== 200)) {
      throw new Error(`the webhook answered ${JSON.stringify(result.deliveries.map((delivery) => delivery.status))}`);
    }
    paid.push({ paymentId: answer.body.paymentId, buyer });
  };
  return { paymentId: answer.body.paymentId, pay };
}

async function refund(purchase: { paymentId: string; buyer: Person }) {
  const answer = await api("POST", `/api/payments/${purchase.paymentId}/refund`, { token: purchase.buyer.token });
  if (answer.status !== 200) throw new Error(`refund answered ${answer.status} ${JSON.stringify(answer.body)}`);
  refunded.add(purchase.paymentId);
}

interface OutboxRow {
  schema: string;
  id: string;
  type: string;
  queued_at: Date | null;
  queue_sends: number;
  confirmed_at: Date | null;
}

/** Every event committed to any outbox since the test began. */
async function eventsWritten(): Promise<OutboxRow[]> {
  const union = DOMAIN_SERVICES.map(
    (schema) =>
      `select '${schema}' as schema, id, type, queued_at, queue_sends, confirmed_at from ${schema}.outbox where created_at >= $1`,
  ).join(" union all ");
  return (await db.query<OutboxRow>(union, [startedAt])).rows;
}

/** How many times each deduplicated event was applied by its subscriber (0 = not yet). */
async function applications(events: readonly OutboxRow[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const schema of new Set(Object.values(DEDUPED_BY))) {
    const ids = events.filter((event) => DEDUPED_BY[event.type] === schema).map((event) => event.id);
    const { rows } = await db.query<{ event_id: string; n: number }>(
      `select event_id, count(*)::int as n from ${schema}.processed_events where event_id = any($1::uuid[]) group by event_id`,
      [ids],
    );
    for (const row of rows) counts.set(row.event_id, row.n);
  }
  return counts;
}

const deduped = (events: readonly OutboxRow[]) => events.filter((event) => event.type in DEDUPED_BY);

async function unapplied(events: readonly OutboxRow[]): Promise<OutboxRow[]> {
  const counts = await applications(events);
  return deduped(events).filter((event) => !counts.has(event.id));
}

describe("events through a database outage longer than every retry window", () => {
  it(
    "every committed registration, purchase and refund is applied exactly once after recovery; none is lost",
    { timeout: 240_000 },
    async () => {
      // Before the outage, settled: registrations, purchases, a refund.
      const early = await Promise.all([1, 2, 3, 4].map((index) => register(`outage-early-${index}`)));
      for (const buyer of early.slice(0, 3)) await (await openCheckout(buyer)).pay();
      const [firstPurchase, secondPurchase] = paid;
      if (!firstPurchase || !secondPurchase) throw new Error("the early purchases did not happen");
      await refund(firstPurchase);

      // Ready for the burst: buyers with open checkouts.
      const burstBuyers = await Promise.all([1, 2, 3, 4, 5].map((index) => register(`outage-burst-${index}`)));
      const checkouts = await Promise.all(burstBuyers.map(openCheckout));
      const burstStart = (await db.query<{ now: Date }>("select now()")).rows[0]?.now;

      // The burst: payments, a refund and registrations at once; the database goes the moment they are all on the Queue.
      await Promise.all([
        ...checkouts.map((checkout) => checkout.pay()),
        refund(secondPurchase),
        register("outage-burst-late-1"),
        register("outage-burst-late-2"),
      ]);
      const burstEvents = async () => deduped(await eventsWritten()).filter((event) => event.queued_at !== null);
      for (let tries = 0; tries < 100; tries++) {
        const rows = await db.query<{ n: number }>(
          `select count(*)::int as n from (select id from auth.outbox where created_at >= $1 and queued_at is null
          union all select id from payments.outbox where created_at >= $1 and queued_at is null) unqueued`,
          [burstStart],
        );
        if (rows.rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await setProxyDatabaseState(proxyPort, "down");
      const cutAt = Date.now();
      const inFlightAtCut = await unapplied(await burstEvents());

      // During the outage: writes fail (nothing committed), and the sweep can do nothing.
      const refusedEmail = uniqueEmail("outage-refused");
      const refused = await api("POST", "/api/auth/register", {
        body: { email: refusedEmail, password: GOOD_PASSWORD, name: "Refused" },
      });
      expect(refused.status).toBeGreaterThanOrEqual(500);
      await sweep();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - cutAt))));
      await setProxyDatabaseState(proxyPort, "up");
      const outageSeconds = (Date.now() - cutAt) / 1000;
      expect((await db.query("select 1 from auth.accounts where email = $1", [refusedEmail])).rowCount).toBe(0);

      // Recovered, no sweep yet: what the Queue held at the cut is gone from it (its retries are spent).
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const droppedByQueue = await unapplied(inFlightAtCut);
      expect(
        droppedByQueue.length,
        "events the Queue held at the cut and dropped (else the test proves nothing)",
      ).toBeGreaterThan(0);
      const deadLettered = await db.query<{ n: number }>(
        "select count(*)::int as n from events.dead_letters where event_id = any($1::uuid[])",
        [droppedByQueue.map((event) => event.id)],
      );

      // After recovery: more registrations, purchases and refunds, one of them of a purchase whose event was dropped.
      const late = await Promise.all([1, 2, 3].map((index) => register(`outage-late-${index}`)));
      for (const buyer of late.slice(0, 2)) await (await openCheckout(buyer)).pay();
      const droppedPurchase = paid.find((purchase) =>
        checkouts.some((checkout) => checkout.paymentId === purchase.paymentId),
      );
      if (!droppedPurchase) throw new Error("no burst purchase");
      await refund(droppedPurchase);

      // The cron's sweeps: what was queued and never confirmed is sent again until every event is applied and confirmed.
      let sweeps = 0;
      await expect
        .poll(
          async () => {
            await sweep();
            sweeps += 1;
            const events = await eventsWritten();
            return {
              unapplied: (await unapplied(events)).length,
              unconfirmed: events.filter((event) => event.confirmed_at === null).length,
            };
          },
          { timeout: 75_000, interval: 2_000, message: "every event applied and confirmed after the sweeps" },
        )
        .toEqual({ unapplied: 0, unconfirmed: 0 });

      // Exactly once: one processed-event row per event, one profile per registration, one grant per purchase.
      const events = await eventsWritten();
      const counts = await applications(events);
      expect(deduped(events).filter((event) => counts.get(event.id) !== 1)).toEqual([]);
      const profiles = await db.query<{ user_id: string; n: number }>(
        "select user_id, count(*)::int as n from users.profiles where user_id = any($1::uuid[]) group by user_id",
        [registered],
      );
      expect(profiles.rows).toHaveLength(registered.length);
      expect(profiles.rows.every((row) => row.n === 1)).toBe(true);
      const grants = await db.query<{ reference: string; n: number; revoked: number }>(
        `select reference, count(*)::int as n, count(revoked_at)::int as revoked from courses.enrollments
        where via = 'purchase' and reference = any($1::text[]) group by reference`,
        [paid.map((purchase) => purchase.paymentId)],
      );
      // A refund whose purchase event was dropped and re-sent later keeps the access revoked: the grant
      // row exists (revoked) or was never made active; either way no paid-then-refunded learner keeps access.
      const grantOf = new Map(grants.rows.map((row) => [row.reference, row]));
      for (const { paymentId } of paid) {
        const grant = grantOf.get(paymentId);
        if (refunded.has(paymentId)) expect(grant === undefined || grant.revoked === grant.n, paymentId).toBe(true);
        else expect(grant, paymentId).toMatchObject({ n: 1, revoked: 0 });
      }

      const byType = (rows: readonly OutboxRow[]) =>
        Object.fromEntries(
          Object.entries(
            rows.reduce<Record<string, number>>((all, row) => ({ ...all, [row.type]: (all[row.type] ?? 0) + 1 }), {}),
          ).sort(),
        );
      console.log(
        "[outage figures]",
        JSON.stringify({
          outageSeconds,
          eventsWritten: events.length,
          dedupedEventsWritten: byType(deduped(events)),
          inFlightAtCut: inFlightAtCut.length,
          droppedByQueue: droppedByQueue.length,
          deadLetteredOfDropped: deadLettered.rows[0]?.n,
          resends: events.reduce((sum, event) => sum + Math.max(0, event.queue_sends - 1), 0),
          sweeps,
          applied: deduped(events).length,
          lost: (await unapplied(events)).length,
          registrations: registered.length,
          purchases: paid.length,
          refunds: refunded.size,
        }),
      );
    },
  );
});
