import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  EVENT_CATALOG,
  EVENT_TYPES,
  buildEvent,
  hasPersonalData,
  parseEvent,
  parsePublicEvent,
  personalFieldsOf,
  publicProjection,
  type EventData,
  type EventEnvelope,
  type EventType,
} from "../src/index.ts";

const context = { source: "tests", correlationId: "corr-1" };
const userId = "01a2f000-0000-7000-8000-000000000001";
const courseId = "01a2f000-0000-7000-8000-000000000002";
const otherId = "01a2f000-0000-7000-8000-000000000003";
const at = "2026-11-27T10:00:00.000Z";

/**
 * One valid event of every type, every optional field filled in (so every personal field is there to
 * be removed). A Record over EventType: a new type without a sample does not compile.
 */
const SAMPLES: { [T in EventType]: EventData<T> } = {
  USER_CREATED: { userId, email: "ada.lovelace@example.org", name: "Ada Lovelace", roles: ["learner"] },
  USER_UPDATED: {
    userId,
    roles: ["learner", "instructor"],
    status: "active",
    name: "Ada King",
    avatarUrl: "https://cdn.example.org/avatars/ada-king.png",
    locale: "en-GB",
    timeZone: "Europe/London",
  },
  USER_DELETED: { userId },
  COURSE_CREATED: { courseId, authorId: userId, title: "Analytical Engines", slug: "analytical-engines" },
  COURSE_UPDATED: { courseId, authorId: userId, changed: ["title"], status: "published" },
  COURSE_PUBLISHED: {
    courseId,
    authorId: userId,
    title: "Analytical Engines",
    slug: "analytical-engines",
    price: { amountMinor: 4900, currency: "EUR" },
    publishedAt: at,
  },
  LESSON_ADDED: { courseId, lessonId: otherId, title: "Notes", kind: "text", position: 0, freePreview: true },
  ENROLLMENT_REQUESTED: { userId, courseId, reference: "crm-order-1", requestedAt: at },
  COURSE_ACCESS_GRANTED: { userId, courseId, via: "purchase", reference: "pay_1", grantedAt: at },
  COURSE_ACCESS_REVOKED: { userId, courseId, reason: "refund", reference: "pay_1", revokedAt: at },
  COURSE_PURCHASED: {
    paymentId: otherId,
    userId,
    courseId,
    amountMinor: 4900,
    currency: "EUR",
    provider: "stripe",
    providerReference: "cs_test_1",
    purchasedAt: at,
  },
  PAYMENT_REFUNDED: {
    paymentId: otherId,
    userId,
    courseId,
    amountMinor: 4900,
    currency: "EUR",
    refundReference: "re_1",
    refundedAt: at,
  },
  SUBSCRIPTION_CREATED: { subscriptionId: otherId, userId, planId: courseId, interval: "month", currentPeriodEnd: at },
  SUBSCRIPTION_CANCELED: { subscriptionId: otherId, userId, endsAt: at },
  LESSON_VIEWED: { userId, courseId, lessonId: otherId, positionSeconds: 12, viewedAt: at },
  LESSON_COMPLETED: { userId, courseId, lessonId: otherId, completedAt: at },
  COURSE_COMPLETED: { userId, courseId, completedAt: at },
  NOTIFICATION_SENT: {
    notificationId: otherId,
    userId,
    channel: "email",
    template: "welcome",
    causedBy: courseId,
    sentAt: at,
  },
  WEBHOOK_ENDPOINT_DISABLED: {
    endpointId: otherId,
    userId,
    url: "https://hooks.example.com/platform",
    reason: "Every delivery has failed for 72 hours.",
    failedDeliveries: 3,
    disabledAt: at,
  },
};

const sample = <T extends EventType>(type: T) => buildEvent(type, SAMPLES[type], context);

/** Field names that say "about a person" (contact data, names, pictures, places, settings). */
const PERSONAL_LOOKING = /e-?mail|name|avatar|photo|picture|address|phone|street|postal|birth|locale|time-?zone|^ip$/i;

/**
 * Every field in a data schema (nested objects and arrays of objects included) whose name looks
 * personal but is not declared in `personalData`. A nested one is reported by its path: the public
 * form removes top-level fields only, so such a field must move up or the projection learn paths.
 */
function undeclaredPersonalFields(definition: { data: z.ZodType; personalData: readonly string[] }): string[] {
  const found: string[] = [];
  const walk = (schema: z.ZodType, path: string[]) => {
    if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
      return walk(schema.unwrap() as z.ZodType, path);
    if (schema instanceof z.ZodArray) return walk(schema.element as z.ZodType, path);
    if (!(schema instanceof z.ZodObject)) return;
    for (const [field, child] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const fieldPath = [...path, field];
      const declared = path.length === 0 && definition.personalData.includes(field);
      if (PERSONAL_LOOKING.test(field) && !declared) found.push(fieldPath.join("."));
      walk(child, fieldPath);
    }
  };
  walk(definition.data, []);
  return found;
}

describe("the catalogue's personal data declarations", () => {
  it("declare every personal-looking field of every type, so a new type cannot leak to Kafka by accident", () => {
    const undeclared = EVENT_TYPES.flatMap((type) =>
      undeclaredPersonalFields(EVENT_CATALOG[type]).map((field) => `${type}.${field}`),
    );
    expect(undeclared, "personal-looking fields missing from personalData").toEqual([]);
  });

  it("the check itself catches an undeclared field, also nested or optional", () => {
    const leaky = {
      data: z.object({
        userId: z.uuid(),
        contactEmail: z.email().optional(),
        billing: z.object({ street: z.string(), city: z.string() }).nullable(),
        guests: z.array(z.object({ fullName: z.string() })),
      }),
      personalData: [] as string[],
    };
    expect(undeclaredPersonalFields(leaky)).toEqual(["contactEmail", "billing.street", "guests.fullName"]);
    expect(undeclaredPersonalFields({ ...leaky, personalData: ["contactEmail"] })).toEqual([
      "billing.street",
      "guests.fullName",
    ]);
  });

  it("name only fields the data has (USER_CREATED: email and name; USER_UPDATED: name, avatar, locale, time zone)", () => {
    for (const type of EVENT_TYPES) {
      const shape = Object.keys(EVENT_CATALOG[type].data.shape);
      for (const field of personalFieldsOf(type)) expect(shape, `${type}.${field}`).toContain(field);
    }
    expect(personalFieldsOf("USER_CREATED")).toEqual(["email", "name"]);
    expect(personalFieldsOf("USER_UPDATED")).toEqual(["name", "avatarUrl", "locale", "timeZone"]);
    expect(personalFieldsOf("USER_DELETED")).toEqual([]);
  });
});

describe("publicProjection (what Kafka gets)", () => {
  it.each(EVENT_TYPES)("%s: no personal field and none of its values, everything else unchanged", (type) => {
    const event = sample(type) as EventEnvelope<string, Record<string, unknown>>;
    const personal = personalFieldsOf(type);
    const projected = publicProjection(event);
    const json = JSON.stringify(projected);

    for (const field of personal) {
      expect(projected.data, `${type}.${field} removed`).not.toHaveProperty(field);
      expect(json, `the value of ${type}.${field}`).not.toContain(String(event.data[field]));
    }
    for (const [field, value] of Object.entries(event.data)) {
      if (!personal.includes(field)) expect(projected.data, `${type}.${field} kept`).toHaveProperty(field, value);
    }
    expect({ ...projected, data: undefined, metadata: undefined }).toEqual({
      ...event,
      data: undefined,
      metadata: undefined,
    });
    expect(projected.metadata).toEqual(
      personal.length > 0 ? { ...event.metadata, redacted: personal } : event.metadata,
    );
    if (personal.length === 0) expect(projected, "an id-only type goes out as it is").toBe(event);
    expect(hasPersonalData(type)).toBe(personal.length > 0);

    // A Kafka consumer can parse it, after a JSON round trip, and gets what was projected.
    expect(parsePublicEvent(JSON.parse(json))).toEqual({ ok: true, event: projected });
    // The platform's own full form is untouched by the projection.
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual({ ok: true, event });
  });

  it("lists only the personal fields this event had: a USER_UPDATED that changed roles only loses nothing", () => {
    const rolesOnly = buildEvent("USER_UPDATED", { userId, roles: ["admin"] }, context);
    expect(publicProjection(rolesOnly)).toBe(rolesOnly);
    const nameOnly = buildEvent("USER_UPDATED", { userId, name: "Ada King" }, context);
    expect(publicProjection(nameOnly)).toEqual({
      ...nameOnly,
      data: { userId },
      metadata: { ...nameOnly.metadata, redacted: ["name"] },
    });
  });

  it("withholds every data field of a type it does not know (a writer newer than the bridge), and says so", () => {
    const future = { ...sample("USER_DELETED"), type: "USER_PHONE_ADDED", data: { userId, phone: "+44 20 7946 0000" } };
    const projected = publicProjection(future);
    expect(projected.data).toEqual({});
    expect(projected.metadata.redacted).toEqual(["userId", "phone"]);
    expect(JSON.stringify(projected)).not.toContain("7946");
    expect(hasPersonalData("USER_PHONE_ADDED")).toBe(true);
  });
});

describe("parsePublicEvent (consumers of the Kafka topics)", () => {
  const publicUserCreated = () => JSON.parse(JSON.stringify(publicProjection(sample("USER_CREATED")))) as object;

  it("accepts the public USER_CREATED that parseEvent refuses for its missing email and name", () => {
    const full = parseEvent(publicUserCreated());
    expect(full.ok).toBe(false);
    if (!full.ok) expect(full.issues.join(" | ")).toMatch(/data\.email.*data\.name|data\.name.*data\.email/);
    const parsed = parsePublicEvent(publicUserCreated());
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.event.data).toEqual({ userId, roles: ["learner"] });
      expect(parsed.event.metadata.redacted).toEqual(["email", "name"]);
    }
  });

  it("strips a personal field a public event should not have had, rather than passing it on", () => {
    const parsed = parsePublicEvent({ ...publicUserCreated(), data: { userId, roles: ["learner"], email: "x@y.org" } });
    expect(parsed.ok && parsed.event.data).toEqual({ userId, roles: ["learner"] });
  });

  it.each([
    ["an unknown type", { type: "COURSE_EXPLODED" }, "type"],
    ["another version", { version: 2 }, "version"],
    ["an aggregate key that does not match the data", { aggregateId: otherId }, "aggregateId"],
    ["data that fails the public schema", { data: { userId, roles: [] } }, "data.roles"],
    [
      "a malformed redaction marker",
      { metadata: { timestamp: at, correlationId: "c", redacted: "email" } },
      "redacted",
    ],
  ])("rejects %s", (_case, change, path) => {
    const parsed = parsePublicEvent({ ...publicUserCreated(), ...change });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.join(" | ")).toContain(path);
  });
});
