import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { TOPICS, buildEvent, parsePublicEvent, type EventEnvelope } from "@platform/events";
import { configFromEnv, startBridge } from "../src/index.ts";
import { freshDatabase, insertEvents, unpublishedCount, withClient } from "./support/database.ts";
import { readTopic, type ReadMessage } from "../../../test/support/kafka-topics.ts";

/**
 * Personal data stays inside the platform: the bridge publishes each event's public form. Checked on
 * the bytes a Kafka consumer receives, against a real broker; the outbox (what the Queue relay hands
 * to the platform's own consumers) keeps the full event.
 */
const brokers = inject("kafkaBrokers");
let database: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  database = await freshDatabase("privacy");
});
afterAll(async () => {
  await database?.drop();
});

const drained = (schema: string) =>
  vi.waitFor(
    async () =>
      expect(await withClient(database.url, (c) => unpublishedCount(c, schema)), `the ${schema} outbox`).toBe(0),
    { timeout: 60_000, interval: 100 },
  );

/** Every place in a message a consumer can read: key, headers and the value's raw bytes. */
function messageContains(message: ReadMessage, needle: string): boolean {
  const bytes = Buffer.from(needle, "utf8");
  return (
    (message.rawValue?.includes(bytes) ?? false) ||
    (message.key?.includes(needle) ?? false) ||
    Object.entries(message.headers).some(([name, value]) => name.includes(needle) || value.includes(needle))
  );
}

describe("personal data and Kafka", () => {
  it("USER_CREATED and USER_UPDATED reach user-events without email, name, avatar, locale or time zone; the outbox keeps them for the platform", async () => {
    const userId = randomUUID();
    const tag = randomUUID().slice(0, 8);
    const personal = {
      email: `privacy-${tag}@example.org`,
      name: `Ada Privacy ${tag}`,
      newName: `Ada Renamed ${tag}`,
      avatarUrl: `https://cdn.example.org/avatars/${tag}.png`,
      locale: `de-CH-x-${tag}`,
      timeZone: `Europe/Zurich-${tag}`,
    };
    const context = { correlationId: `privacy-${tag}` };
    const created = buildEvent(
      "USER_CREATED",
      { userId, email: personal.email, name: personal.name, roles: ["learner"] },
      { ...context, source: "auth" },
    );
    const updated = buildEvent(
      "USER_UPDATED",
      {
        userId,
        name: personal.newName,
        avatarUrl: personal.avatarUrl,
        locale: personal.locale,
        timeZone: personal.timeZone,
      },
      { ...context, source: "users" },
    );
    const deleted = buildEvent("USER_DELETED", { userId }, { ...context, source: "auth" });

    await withClient(database.url, async (client) => {
      await insertEvents(client, "auth", [created]);
      await insertEvents(client, "users", [updated]);
      await insertEvents(client, "auth", [deleted]);
    });
    const bridge = await startBridge(
      configFromEnv({
        DATABASE_URL: database.url,
        KAFKA_BROKERS: brokers,
        BRIDGE_SCHEMAS: "auth,users",
        BRIDGE_METRICS_PORT: "0",
        BRIDGE_POLL_MS: "200",
        BRIDGE_PROBE_MS: "300",
      }),
      { log: () => {} },
    );
    try {
      await bridge.waitUntilHealthy(30_000);
      await drained("auth");
      await drained("users");
    } finally {
      await bridge.stop();
    }

    // The platform's own copy is untouched: the Queue relay sends the full event to users and
    // notifications. It also shows the byte search below finds these values where they are.
    const stored = await withClient(database.url, (client) =>
      client.query<{ id: string; envelope: string }>(
        "SELECT id, envelope::text AS envelope FROM auth.outbox UNION ALL SELECT id, envelope::text FROM users.outbox",
      ),
    );
    const storedText = stored.rows.map((row) => row.envelope).join("\n");
    for (const value of Object.values(personal))
      expect(Buffer.from(storedText).includes(Buffer.from(value))).toBe(true);

    // No message on any topic, ours or another test's, holds any of these values anywhere.
    const everything = (await Promise.all(TOPICS.map((topic) => readTopic(brokers, topic)))).flat();
    for (const [what, value] of Object.entries(personal)) {
      expect(
        everything.filter((message) => messageContains(message, value)).map((m) => m.headers["event-type"]),
        `messages on Kafka holding the ${what}`,
      ).toEqual([]);
    }

    const userEvents = await readTopic(brokers, "user-events");
    const ours = (envelope: EventEnvelope) => {
      const found = userEvents.filter((message) => message.headers["event-id"] === envelope.id);
      expect(found, `${envelope.type} on user-events`).not.toHaveLength(0);
      const message = found[0] as ReadMessage;
      expect(message.key).toBe(userId);
      expect(message.headers).toMatchObject({ "event-type": envelope.type, "event-form": "public" });
      const parsed = parsePublicEvent(JSON.parse(message.value ?? "null"));
      if (!parsed.ok) throw new Error(`not a valid public event: ${parsed.issues.join("; ")}`);
      return parsed.event;
    };

    expect(ours(created)).toEqual({
      ...created,
      data: { userId, roles: ["learner"] },
      metadata: { ...created.metadata, redacted: ["email", "name"] },
    });
    expect(ours(updated)).toEqual({
      ...updated,
      data: { userId },
      metadata: { ...updated.metadata, redacted: ["name", "avatarUrl", "locale", "timeZone"] },
    });
    // Erasure reaches integrators as the bare id, after the account's earlier events from the same
    // outbox: one key, one partition, in order.
    expect(ours(deleted)).toEqual(deleted);
    const account = userEvents.filter((message) => message.key === userId);
    expect(new Set(account.map((message) => message.partition)).size).toBe(1);
    const authOrder = account
      .map((message) => message.headers["event-id"])
      .filter((id) => id === created.id || id === deleted.id);
    expect(authOrder).toEqual([created.id, deleted.id]);
  });
});
