import { v7 as uuidv7 } from "uuid";
import { afterAll, describe, expect, it } from "vitest";
import { recordAccountMail } from "../src/account-mail.ts";
import { notificationsDatabase } from "./support/database.ts";
import { standIns } from "./support/stand-ins.ts";

/** `sendAccountMail`'s recording half against the real schema: what is refused, what is written, in which language. */
const database = notificationsDatabase();
const { db } = database;
afterAll(() => database.close());
const services = standIns();

const expiresAt = () => new Date(Date.now() + 3_600_000).toISOString();
const reset = (userId: string, to: string, data: Record<string, unknown> = {}) => ({
  userId,
  to,
  mail: {
    template: "password-reset",
    data: { resetUrl: "https://learn.example.com/reset#t", expiresAt: expiresAt(), ...data },
  },
});

describe("account mail", () => {
  it("records a pending security mail, in the profile's language, without an unsubscribe link", async () => {
    const { userId, email } = services.person({ locale: "de-AT" });
    const recorded = await recordAccountMail(db, services.USERS, { ...reset(userId, email), localeHint: "en" });
    expect(recorded.ok).toBe(true);
    const [row] = await database.deliveriesOf(userId);
    expect(row).toMatchObject({
      channel: "email",
      category: "security",
      template: "password-reset",
      locale: "de",
      recipient: email,
      status: "pending",
      caused_by: null,
    });
    expect(row?.payload.headers).toEqual({});
    expect(row?.payload.text).toContain("https://learn.example.com/reset#t");
    expect(row?.payload.text).not.toMatch(/unsubscribe/i);
  });

  it("takes the request's locale hint when the person has no profile yet; English without one", async () => {
    const { userId, email } = services.person({ profile: false });
    await recordAccountMail(db, services.USERS, { ...reset(userId, email), localeHint: "de" });
    await recordAccountMail(db, services.USERS, reset(userId, email));
    const rows = await database.deliveriesOf(userId);
    expect(rows.map((row) => row.locale).sort()).toEqual(["de", "en"]);
  });

  it("each request is its own mail: asking twice sends twice", async () => {
    const { userId, email } = services.person();
    await recordAccountMail(db, services.USERS, reset(userId, email));
    await recordAccountMail(db, services.USERS, reset(userId, email));
    expect(await database.deliveriesOf(userId)).toHaveLength(2);
  });

  it.each([
    ["a user id that is not a UUID", { ...reset(uuidv7(), "a@example.com"), userId: "42" }, /userId/],
    ["an address that is not one", reset(uuidv7(), "not-an-address"), /to/],
    [
      "a template that is not an account mail",
      { ...reset(uuidv7(), "a@example.com"), mail: { template: "welcome", data: {} } },
      /template/,
    ],
    ["a missing variable", reset(uuidv7(), "a@example.com", { resetUrl: undefined }), /resetUrl/],
    ["a link that is not http(s)", reset(uuidv7(), "a@example.com", { resetUrl: "javascript:alert(1)" }), /resetUrl/],
    ["no request at all", null, /request/],
  ])("refuses %s as invalid_request, writing nothing", async (_case, request, reason) => {
    const recorded = await recordAccountMail(db, services.USERS, request);
    expect(recorded).toMatchObject({ ok: false, code: "invalid_request" });
    expect(recorded.ok ? "" : recorded.reason).toMatch(reason);
    const userId = (request as { userId?: string } | null)?.userId;
    if (userId && userId !== "42") expect(await database.deliveriesOf(userId)).toEqual([]);
  });
});
