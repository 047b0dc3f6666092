import { beforeAll, describe, expect, it } from "vitest";
import { api, newClientAddress } from "../../../test/support/api.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { mailTo, waitForMail } from "../../../test/support/mailbox.ts";
import { instructor, type Person } from "../../../test/support/people.ts";
import { buy, deliveriesOf, settledDeliveries, settledLearner, type Addressable } from "./support/journey.ts";

/**
 * RFC 8058 one-click unsubscribe on the running platform: the `List-Unsubscribe` link is taken from a mail the test's
 * SMTP server received, and POSTed through the gateway the way a mail client does it: no session, no cookie, the
 * `List-Unsubscribe=One-Click` form body. That person's purchase mail stops; a tampered link, or one bent to another
 * person, changes nothing.
 */
let author: Person;
let first: CourseBody;
let second: CourseBody;

beforeAll(async () => {
  author = await instructor("unsubscribe-author");
  first = await publishedCourse(author, { price: { amountMinor: 1500, currency: "EUR" }, title: "First purchase" });
  second = await publishedCourse(author, { price: { amountMinor: 1600, currency: "EUR" }, title: "Second purchase" });
});

interface Preferences {
  readonly categories: { category: string; channels: { channel: string; enabled: boolean }[] }[];
}

/** Whether this person's mail of this category is on, as GET /api/notifications/preferences tells them. */
async function emailOn(person: Person, category: string): Promise<boolean | undefined> {
  const answer = await api<Preferences>("GET", "/api/notifications/preferences", { token: person.token });
  expect(answer.status).toBe(200);
  return answer.body.categories
    .find((entry) => entry.category === category)
    ?.channels.find((entry) => entry.channel === "email")?.enabled;
}

/** The one-click POST a mail client makes (RFC 8058 §3.2): nothing but the form body, from anywhere. */
function oneClick(url: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": newClientAddress() },
    body: "List-Unsubscribe=One-Click",
  });
}

/** The URL in a received mail's `List-Unsubscribe: <…>` header. */
function unsubscribeLinkOf(header: string | undefined): URL {
  const url = /^<([^>]+)>$/.exec(header ?? "")?.[1];
  if (!url) throw new Error(`no List-Unsubscribe link in ${JSON.stringify(header)}`);
  return new URL(url);
}

/** The purchase confirmation this buyer received for the first course, and the unsubscribe link it carries. */
async function linkFromPurchaseMail(buyer: Addressable): Promise<URL> {
  await buy(buyer, first);
  const mail = await waitForMail(buyer.email, { subject: `Your purchase: ${first.title}` });
  expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  const link = unsubscribeLinkOf(mail.headers["list-unsubscribe"]);
  // The footer offers the same link, for a reader whose client shows no unsubscribe button.
  expect(mail.text).toContain(link.href);
  return link;
}

describe("one-click unsubscribe from a received mail", () => {
  it("the link POSTed with no session turns that category's mail off, and the next purchase sends no mail", async () => {
    const buyer = await settledLearner("unsubscriber");
    const link = await linkFromPurchaseMail(buyer);
    expect(await emailOn(buyer, "purchases")).toBe(true);

    const answer = await oneClick(link.href);
    expect(answer.status).toBe(204);
    expect(await emailOn(buyer, "purchases")).toBe(false);
    // Only that category: the learner still hears about their courses and their subscriptions.
    expect(await emailOn(buyer, "learning")).toBe(true);
    expect(await emailOn(buyer, "subscriptions")).toBe(true);

    await buy(buyer, second);
    // The second purchase is consumed (its in-app notice is there and delivered), with no mail beside it.
    const deliveries = await settledDeliveries(buyer.userId, "purchase-confirmed", 3);
    expect(deliveries.map((row) => `${row.channel}:${row.status}`)).toEqual([
      "email:sent",
      "in_app:sent",
      "in_app:sent",
    ]);
    const mails = await mailTo(buyer.email, { subject: "Your purchase" });
    expect(mails.map((mail) => mail.subject)).toEqual([`Your purchase: ${first.title}`]);
  });

  it("a tampered link, or one bent to another person or category, is refused with 400 and changes nothing", async () => {
    const owner = await settledLearner("unsubscribe-owner");
    const other = await settledLearner("unsubscribe-other");
    const link = await linkFromPurchaseMail(owner);
    const token = link.searchParams.get("token") ?? "";
    const [version, userId, category, mac = ""] = token.split(".");
    expect([version, userId, category]).toEqual(["v1", owner.userId, "purchases"]);

    const withToken = (value: string) => {
      const url = new URL(link);
      url.searchParams.set("token", value);
      return url.href;
    };
    const flipped = `${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`;
    const forgeries = {
      "a changed signature": withToken(`${version}.${userId}.${category}.${flipped}`),
      "another person's id under the owner's signature": withToken(`${version}.${other.userId}.${category}.${mac}`),
      "another category under the owner's signature": withToken(`${version}.${userId}.learning.${mac}`),
      "no token": withToken(""),
    };
    for (const [what, url] of Object.entries(forgeries)) {
      const answer = await oneClick(url);
      expect(answer.status, what).toBe(400);
      expect(answer.headers.get("content-type"), what).toContain("application/problem+json");
    }
    for (const person of [owner, other]) {
      expect(await emailOn(person, "purchases")).toBe(true);
      expect(await emailOn(person, "learning")).toBe(true);
    }

    // The other person's purchase still reaches them by mail: nothing was muted for them.
    await buy(other, first);
    await waitForMail(other.email, { subject: `Your purchase: ${first.title}` });
    expect((await deliveriesOf(other.userId, "purchase-confirmed")).map((row) => row.channel)).toContain("email");
  });
});
