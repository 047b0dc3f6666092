import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notificationRecords } from "../src/notification-records.ts";
import { notificationsDatabase } from "./support/database.ts";

/**
 * `notificationRecords` (the notifications worker's `NotificationsRpc.notificationRecords`, for the users export)
 * against the real notifications schema: rows written behind its back with node-postgres, read through the Neon
 * driver as the worker reads them. Everything kept about the person comes back except what must not leave: a push
 * endpoint's path and keys, a delivery's rendered payload, the provider's message id; and nothing of anyone else.
 */
const database = notificationsDatabase();
const { admin } = database;
afterAll(() => database.close());

const person = uuidv7();
const stranger = uuidv7();
const ids = {
  notice: uuidv7(),
  readNotice: uuidv7(),
  strangersNotice: uuidv7(),
  subscription: uuidv7(),
  strangersSubscription: uuidv7(),
  mail: uuidv7(),
  push: uuidv7(),
  strangersMail: uuidv7(),
  /** Mail to an address with no account behind it: nobody's, so in nobody's export. */
  anonymousMail: uuidv7(),
};
const ENDPOINT_PATH = `/wpush/v2/${crypto.randomUUID()}`;

async function delivery(row: {
  id: string;
  userId: string | null;
  channel: string;
  category: string;
  template: string;
  recipient: string | null;
  status: string;
  attempts: number;
  createdAt: string;
  sentAt?: string;
  lastError?: string;
}) {
  await admin.query(
    `insert into notifications.deliveries
       (id, user_id, channel, category, template, locale, recipient, payload, status, attempts, last_error, provider_id, dedupe_key, created_at, sent_at)
     values ($1, $2, $3, $4, $5, 'de', $6, '{"subject":"Secret payload"}', $7, $8, $9, 'provider-internal-id', $10, $11, $12)`,
    [
      row.id,
      row.userId,
      row.channel,
      row.category,
      row.template,
      row.recipient,
      row.status,
      row.attempts,
      row.lastError ?? null,
      `test-${row.id}`,
      row.createdAt,
      row.sentAt ?? null,
    ],
  );
}

beforeAll(async () => {
  await admin.query(
    `insert into notifications.preferences (user_id, category, channel, enabled, updated_at)
     values ($1, 'learning', 'push', false, '2026-01-05T10:00:00Z'), ($1, 'onboarding', 'email', true, '2026-01-06T10:00:00Z'),
            ($2, 'purchases', 'email', false, '2026-01-05T10:00:00Z')`,
    [person, stranger],
  );
  await admin.query(
    `insert into notifications.notices (id, user_id, category, template, title, body, link, created_at, read_at)
     values ($1, $3, 'onboarding', 'welcome', 'Welcome', 'Glad you are here', null, '2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z'),
            ($2, $3, 'learning', 'course-completed', 'Course completed', 'You completed Knots', '/learning/certificates', '2026-01-03T10:00:00Z', null),
            ($4, $5, 'learning', 'course-completed', 'Course completed', 'Stranger completed Other', null, '2026-01-03T10:00:00Z', null)`,
    [ids.readNotice, ids.notice, person, ids.strangersNotice, stranger],
  );
  await admin.query(
    `insert into notifications.push_subscriptions (id, user_id, endpoint, p256dh, auth, user_agent, created_at, last_success_at)
     values ($1, $2, $3, 'browser-public-key', 'browser-auth-secret', 'Firefox 140', '2026-01-02T10:00:00Z', '2026-01-03T10:00:01Z'),
            ($4, $5, $6, 'k', 'a', 'Stranger Browser', '2026-01-02T10:00:00Z', null)`,
    [
      ids.subscription,
      person,
      `https://updates.push.services.mozilla.com${ENDPOINT_PATH}`,
      ids.strangersSubscription,
      stranger,
      `https://fcm.googleapis.com/fcm/send/${crypto.randomUUID()}`,
    ],
  );
  await delivery({
    id: ids.mail,
    userId: person,
    channel: "email",
    category: "onboarding",
    template: "welcome",
    recipient: "person@example.com",
    status: "sent",
    attempts: 2,
    createdAt: "2026-01-01T10:00:00Z",
    sentAt: "2026-01-01T10:05:00Z",
  });
  await delivery({
    id: ids.push,
    userId: person,
    channel: "push",
    category: "learning",
    template: "course-completed",
    recipient: ids.subscription,
    status: "failed",
    attempts: 1,
    createdAt: "2026-01-03T10:00:00Z",
    lastError: "push service answered 400",
  });
  await delivery({
    id: ids.strangersMail,
    userId: stranger,
    channel: "email",
    category: "onboarding",
    template: "welcome",
    recipient: "stranger@example.com",
    status: "sent",
    attempts: 1,
    createdAt: "2026-01-01T10:00:00Z",
  });
  await delivery({
    id: ids.anonymousMail,
    userId: null,
    channel: "email",
    category: "security",
    template: "account-exists",
    recipient: "nobody@example.com",
    // Not pending: a sweep in another file of this project must not pick it up.
    status: "sent",
    attempts: 1,
    createdAt: "2026-01-01T10:00:00Z",
  });
});

describe("notificationRecords", () => {
  it("gives back the person's choices, inbox, push subscriptions and delivery log, oldest first", async () => {
    const records = await notificationRecords(database.db, person);
    expect(records.preferences).toEqual([
      { category: "learning", channel: "push", enabled: false, updatedAt: "2026-01-05T10:00:00.000Z" },
      { category: "onboarding", channel: "email", enabled: true, updatedAt: "2026-01-06T10:00:00.000Z" },
    ]);
    expect(records.notices).toEqual([
      {
        id: ids.readNotice,
        category: "onboarding",
        template: "welcome",
        title: "Welcome",
        body: "Glad you are here",
        link: null,
        createdAt: "2026-01-01T10:00:00.000Z",
        readAt: "2026-01-01T11:00:00.000Z",
      },
      {
        id: ids.notice,
        category: "learning",
        template: "course-completed",
        title: "Course completed",
        body: "You completed Knots",
        link: "/learning/certificates",
        createdAt: "2026-01-03T10:00:00.000Z",
        readAt: null,
      },
    ]);
    expect(records.pushSubscriptions).toEqual([
      {
        id: ids.subscription,
        endpointOrigin: "https://updates.push.services.mozilla.com",
        userAgent: "Firefox 140",
        createdAt: "2026-01-02T10:00:00.000Z",
        lastSuccessAt: "2026-01-03T10:00:01.000Z",
      },
    ]);
    expect(records.deliveries).toEqual([
      {
        id: ids.mail,
        channel: "email",
        category: "onboarding",
        template: "welcome",
        locale: "de",
        emailAddress: "person@example.com",
        status: "sent",
        attempts: 2,
        createdAt: "2026-01-01T10:00:00.000Z",
        sentAt: "2026-01-01T10:05:00.000Z",
        lastError: null,
      },
      {
        id: ids.push,
        channel: "push",
        category: "learning",
        template: "course-completed",
        locale: "de",
        emailAddress: null,
        status: "failed",
        attempts: 1,
        createdAt: "2026-01-03T10:00:00.000Z",
        sentAt: null,
        lastError: "push service answered 400",
      },
    ]);
  });

  it("never gives out a push endpoint's path or keys, a delivery's payload or the provider's message id", async () => {
    const serialised = JSON.stringify(await notificationRecords(database.db, person));
    for (const secret of [
      ENDPOINT_PATH,
      "browser-public-key",
      "browser-auth-secret",
      "Secret payload",
      "provider-internal-id",
    ]) {
      expect(serialised).not.toContain(secret);
    }
  });

  it("another person's rows never appear, nor mail to an address with no account", async () => {
    const [mine, theirs] = await Promise.all([
      notificationRecords(database.db, person),
      notificationRecords(database.db, stranger),
    ]);
    const serialised = JSON.stringify(mine);
    for (const foreign of [
      ids.strangersNotice,
      ids.strangersSubscription,
      ids.strangersMail,
      ids.anonymousMail,
      "stranger@example.com",
      "nobody@example.com",
      "purchases",
    ]) {
      expect(serialised).not.toContain(foreign);
    }
    expect(theirs.notices.map((notice) => notice.id)).toEqual([ids.strangersNotice]);
    expect(theirs.pushSubscriptions).toEqual([
      expect.objectContaining({ endpointOrigin: "https://fcm.googleapis.com" }),
    ]);
    expect(theirs.deliveries.map((row) => row.id)).toEqual([ids.strangersMail]);
    expect(theirs.preferences).toEqual([expect.objectContaining({ category: "purchases", enabled: false })]);
  });

  it("someone the service never heard of gets empty lists, not an error", async () => {
    expect(await notificationRecords(database.db, uuidv7())).toEqual({
      preferences: [],
      notices: [],
      pushSubscriptions: [],
      deliveries: [],
    });
  });
});
