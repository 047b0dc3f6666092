import { randomUUID } from "node:crypto";
import pg from "pg";
import { triggerOutboxSweep } from "@platform/dev-stack";
import { buildEvent, type EventEnvelope } from "@platform/events";
import type { ReceivedMail, TestMailbox } from "@platform/test-mailbox";
import { summarizeLatency, type LatencySummary } from "../latency.ts";
import type { Scenario } from "../scenario.ts";

const NAME = "notifications";
/** Registrations per second for the latency: steady, well below what the stack can take. */
const RATE = 5;
/** Events in the throughput burst: each a mail and an in-app notice. */
const BURST = 300;
const WELCOME = "Welcome to Edge Learning";
const SUBSCRIPTION_STARTED = "Your subscription has started";

/**
 * The issue's two figures for notifications on the running stack, mail going to a real SMTP server on loopback
 * (tools/test-mailbox, as `npm start`'s inbox): commit → mail accepted, and notices processed per second by the one
 * notifications worker instance that `wrangler dev` runs.
 */
export interface NotificationsMeasurement {
  readonly kind: "notifications";
  readonly scenario: string;
  /** USER_CREATED committed (auth's outbox, PostgreSQL's clock) → its welcome mail accepted by the SMTP server. */
  readonly commitToMail: {
    readonly targetRate: number;
    readonly events: number;
    /** Welcomes that did not arrive within 60 s. */
    readonly missing: number;
    readonly latencyMs: LatencySummary;
  };
  /** A burst of SUBSCRIPTION_CREATED committed at once: first commit → last of their mails accepted. */
  readonly burst: {
    readonly events: number;
    readonly missing: number;
    readonly seconds: number;
    /** Events consumed and mailed per second (each also an in-app notice and its live publish). */
    readonly perSecond: number;
  };
}

const clientAddress = (i: number) => `198.19.${200 + Math.floor(i / 250)}.${1 + (i % 250)}`;

async function register(baseUrl: string, email: string, i: number): Promise<string | undefined> {
  const response = await fetch(new URL("/api/auth/register", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": clientAddress(i) },
    body: JSON.stringify({ email, password: "a perfectly fine passphrase", name: `Bench ${i}` }),
  });
  const body = (await response.json()) as { id?: string };
  return response.status === 201 ? body.id : undefined;
}

/** Waits (bounded) until every address has a mail with this subject; answers the first such mail of each. */
async function mailsFor(
  mailbox: TestMailbox,
  addresses: readonly string[],
  subject: string,
  timeoutMs = 60_000,
): Promise<Map<string, ReceivedMail>> {
  const deadline = Date.now() + timeoutMs;
  const wanted = new Set(addresses);
  const found = new Map<string, ReceivedMail>();
  for (;;) {
    for (const mail of mailbox.messages) {
      const to = mail.envelope.to[0];
      if (to && wanted.has(to) && mail.subject === subject && !found.has(to)) found.set(to, mail);
    }
    if (found.size === wanted.size || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Commits envelopes into the payments outbox in one statement, as a burst of subscriptions would; answers its commit time. */
async function commitBurst(client: pg.Client, envelopes: readonly EventEnvelope[]): Promise<number> {
  const { rows } = await client.query<{ at: Date }>(
    `INSERT INTO payments.outbox (id, type, topic, aggregate_id, envelope)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
     RETURNING created_at AS at`,
    [
      envelopes.map((envelope) => envelope.id),
      envelopes.map((envelope) => envelope.type),
      envelopes.map(() => "payment-events"),
      envelopes.map((envelope) => envelope.aggregateId),
      envelopes.map((envelope) => JSON.stringify(envelope)),
    ],
  );
  return Math.min(...rows.map((row) => row.at.getTime()));
}

export const notifications: Scenario = {
  name: NAME,
  description:
    `Mail to a real SMTP server on loopback. Registrations at ${RATE}/s: USER_CREATED committed → its welcome mail ` +
    `accepted (outbox → Queue → events worker → notifications → SMTP; p50/p95). Then ${BURST} SUBSCRIPTION_CREATED ` +
    "committed at once for those accounts: events consumed and mailed per second by the one notifications instance.",
  async run({ platform, durations, say }) {
    const [baseUrl, databaseUrl, mailbox] = await Promise.all([
      platform.gatewayUrl(),
      platform.databaseUrl(),
      platform.mailbox(),
    ]);
    const seconds = durations.fixedRate.rounds * durations.fixedRate.secondsPerRound;
    const total = Math.max(10, Math.round(RATE * seconds));
    const runId = Date.now().toString(36);
    say(`${NAME}: ${total} registrations at ${RATE}/s, each mailed a welcome …`);
    const started = performance.now();
    const pending: Promise<{ email: string; userId: string | undefined }>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      const email = `notify-bench-${runId}-${i}@example.com`;
      pending.push(register(baseUrl, email, i).then((userId) => ({ email, userId })));
    }
    const accounts = (await Promise.all(pending)).filter(
      (account): account is { email: string; userId: string } => account.userId !== undefined,
    );
    const welcomes = await mailsFor(
      mailbox,
      accounts.map((account) => account.email),
      WELCOME,
    );

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ user_id: string; committed: Date }>(
        "select aggregate_id as user_id, created_at as committed from auth.outbox where type = 'USER_CREATED' and aggregate_id = any($1)",
        [accounts.map((account) => account.userId)],
      );
      const committed = new Map(rows.map((row) => [row.user_id, row.committed.getTime()]));
      const latencies = accounts.flatMap((account) => {
        const mail = welcomes.get(account.email);
        const at = committed.get(account.userId);
        return mail && at !== undefined ? [new Date(mail.receivedAt).getTime() - at] : [];
      });

      say(`${NAME}: ${BURST} SUBSCRIPTION_CREATED committed at once …`);
      const envelopes = Array.from({ length: BURST }, (_, i) => {
        const account = accounts[i % accounts.length] as { userId: string };
        return buildEvent(
          "SUBSCRIPTION_CREATED",
          {
            subscriptionId: randomUUID(),
            userId: account.userId,
            planId: randomUUID(),
            interval: "month",
            currentPeriodEnd: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          },
          { source: "payments", correlationId: `bench-${runId}` },
        );
      });
      const burstStart = await commitBurst(client, envelopes);
      // Rows written by SQL have no request behind them to relay them: the sweep does, as the cron would.
      await triggerOutboxSweep(baseUrl);
      const expected = new Map<string, number>();
      for (const envelope of envelopes) {
        const email = accounts.find((account) => account.userId === envelope.data.userId)?.email ?? "";
        expected.set(email, (expected.get(email) ?? 0) + 1);
      }
      const deadline = Date.now() + 180_000;
      let arrived: ReceivedMail[] = [];
      for (;;) {
        arrived = mailbox.messages.filter(
          (mail) => mail.subject === SUBSCRIPTION_STARTED && expected.has(mail.envelope.to[0] ?? ""),
        );
        if (arrived.length >= BURST || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const last = Math.max(...arrived.map((mail) => new Date(mail.receivedAt).getTime()));
      const burstSeconds = (last - burstStart) / 1000;
      const measurement: NotificationsMeasurement = {
        kind: "notifications",
        scenario: NAME,
        commitToMail: {
          targetRate: RATE,
          events: accounts.length,
          missing: accounts.length - latencies.length,
          latencyMs: summarizeLatency(Float64Array.from(latencies)),
        },
        burst: {
          events: BURST,
          missing: BURST - arrived.length,
          seconds: burstSeconds,
          perSecond: arrived.length / burstSeconds,
        },
      };
      say(
        `${NAME}: commit → mail p50 ${measurement.commitToMail.latencyMs.p50.toFixed(0)} ms, p95 ` +
          `${measurement.commitToMail.latencyMs.p95.toFixed(0)} ms; burst ${measurement.burst.perSecond.toFixed(1)} notices/s`,
      );
      return [measurement];
    } finally {
      await client.end();
    }
  },
};

export function renderNotifications(rows: readonly NotificationsMeasurement[]): string {
  const fmt = (s: LatencySummary) =>
    `p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, max ${s.max.toFixed(0)} ms`;
  return [
    "| scenario | commit → mail accepted by SMTP | burst: events mailed per second |",
    "| --- | --- | --- |",
    ...rows.map(
      (m) =>
        `| ${m.scenario} | ${m.commitToMail.events} registrations at ${m.commitToMail.targetRate}/s: ${fmt(m.commitToMail.latencyMs)}` +
        `${m.commitToMail.missing ? ` (**${m.commitToMail.missing} missing**)` : ""} | ${m.burst.events} events in ` +
        `${m.burst.seconds.toFixed(1)} s: ${m.burst.perSecond.toFixed(1)}/s${m.burst.missing ? ` (**${m.burst.missing} missing**)` : ""} |`,
    ),
    "",
    "Each event is also an in-app notice published to the person's LiveHub. Local Queues deliver in batches " +
      "(`max_batch_timeout` 1 s), so commit → mail includes up to a second of batching.",
  ].join("\n");
}
