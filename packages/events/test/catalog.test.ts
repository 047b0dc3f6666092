import { describe, expect, it } from "vitest";
import {
  EVENT_CATALOG,
  EVENT_TYPES,
  InvalidEventError,
  TOPICS,
  buildEvent,
  parseEvent,
  signInboundBody,
  verifyInboundSignature,
} from "../src/index.ts";

const context = { source: "tests", correlationId: "corr-1" };
const userId = "01a2f000-0000-7000-8000-000000000001";
const courseId = "01a2f000-0000-7000-8000-000000000002";

describe("the catalogue", () => {
  it("has every event type the issue names, each on one of the five topics", () => {
    const required = [
      "USER_CREATED",
      "USER_UPDATED",
      "USER_DELETED",
      "COURSE_CREATED",
      "COURSE_UPDATED",
      "COURSE_PUBLISHED",
      "LESSON_ADDED",
      "COURSE_PURCHASED",
      "COURSE_ACCESS_GRANTED",
      "COURSE_ACCESS_REVOKED",
      "SUBSCRIPTION_CREATED",
      "SUBSCRIPTION_CANCELED",
      "PAYMENT_REFUNDED",
      "LESSON_VIEWED",
      "LESSON_COMPLETED",
      "COURSE_COMPLETED",
      "NOTIFICATION_SENT",
    ];
    expect(EVENT_TYPES).toEqual(expect.arrayContaining(required));
    for (const type of EVENT_TYPES) expect(TOPICS).toContain(EVENT_CATALOG[type].topic);
  });

  it("keys access and progress events by learner and course, so a grant and its revocation share a partition", () => {
    const grant = buildEvent(
      "COURSE_ACCESS_GRANTED",
      { userId, courseId, via: "purchase", reference: "pay_1", grantedAt: "2026-11-27T10:00:00.000Z" },
      context,
    );
    const revoke = buildEvent(
      "COURSE_ACCESS_REVOKED",
      { userId, courseId, reason: "refund", reference: "pay_1", revokedAt: "2026-11-28T10:00:00.000Z" },
      context,
    );
    expect(grant.aggregateId).toBe(`${userId}:${courseId}`);
    expect(revoke.aggregateId).toBe(grant.aggregateId);
  });
});

describe("buildEvent (the writer)", () => {
  it("builds the seed's envelope with a UUIDv7 id, source, version and correlation id", () => {
    const event = buildEvent("USER_DELETED", { userId }, { ...context, now: new Date("2026-11-27T10:00:00Z") });
    expect(event).toMatchObject({
      type: "USER_DELETED",
      source: "tests",
      version: 1,
      aggregateId: userId,
      data: { userId },
      metadata: { timestamp: "2026-11-27T10:00:00.000Z", correlationId: "corr-1" },
    });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("refuses data that fails its schema, naming the fields", () => {
    const attempt = () =>
      buildEvent(
        "COURSE_PURCHASED",
        // @ts-expect-error: a negative amount and a lower-case currency, as a buggy writer might send
        {
          paymentId: userId,
          userId,
          courseId,
          amountMinor: -5,
          currency: "eur",
          provider: "stripe",
          providerReference: "cs_1",
        },
        context,
      );
    expect(attempt).toThrow(InvalidEventError);
    try {
      attempt();
    } catch (error) {
      const issues = (error as InvalidEventError).issues.join(" | ");
      expect(issues).toContain("amountMinor");
      expect(issues).toContain("currency");
      expect(issues).toContain("purchasedAt");
    }
  });
});

describe("parseEvent (consumers and the inbound side)", () => {
  const valid = () =>
    buildEvent(
      "LESSON_COMPLETED",
      { userId, courseId, lessonId: userId, completedAt: "2026-11-27T10:00:00.000Z" },
      context,
    );

  it("accepts what the writer wrote, after a JSON round trip", () => {
    const event = valid();
    const parsed = parseEvent(JSON.parse(JSON.stringify(event)));
    expect(parsed).toEqual({ ok: true, event });
  });

  it.each([
    ["an unknown type", { type: "COURSE_EXPLODED" }, "type"],
    ["a version this catalogue does not know", { version: 2 }, "version"],
    ["an aggregate key that does not match the data", { aggregateId: "someone-else" }, "aggregateId"],
    ["an id that is not a UUIDv7", { id: "01a2f000-0000-4000-8000-000000000001" }, "id"],
    ["data that fails the schema", { data: { userId } }, "data.courseId"],
    ["missing metadata", { metadata: undefined }, "metadata"],
  ])("rejects %s", (_case, change, path) => {
    const parsed = parseEvent({ ...valid(), ...change });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.join(" | ")).toContain(path);
  });

  it("rejects things that are not envelopes at all", () => {
    for (const input of [null, "USER_CREATED", 42, [], {}]) expect(parseEvent(input).ok).toBe(false);
  });
});

describe("inbound signatures", () => {
  const secret = "s".repeat(32);
  const body = JSON.stringify({ hello: "world" });
  const now = 1_800_000_000;

  it("verifies its own signature, and nothing else", async () => {
    const header = await signInboundBody(secret, body, now);
    expect(await verifyInboundSignature(secret, body, header, now)).toEqual({ ok: true });
    expect(await verifyInboundSignature(secret, body.replace("world", "worle"), header, now)).toMatchObject({
      ok: false,
    });
    expect(await verifyInboundSignature("t".repeat(32), body, header, now)).toMatchObject({ ok: false });
    expect(await verifyInboundSignature(secret, body, header, now + 301)).toEqual({
      ok: false,
      reason: "signature timestamp outside the tolerance",
    });
    expect(await verifyInboundSignature(secret, body, header.replace(/t=\d+/, `t=${now + 1}`), now)).toMatchObject({
      ok: false,
    });
    expect(await verifyInboundSignature(secret, body, undefined, now)).toMatchObject({ ok: false });
    expect(await verifyInboundSignature(secret, body, "t=abc,v1=zz", now)).toEqual({
      ok: false,
      reason: "malformed signature header",
    });
  });

  it("refuses a short secret", async () => {
    await expect(signInboundBody("short", body)).rejects.toThrow(/at least 32/);
  });
});
