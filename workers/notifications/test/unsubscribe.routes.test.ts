import { afterAll, describe, expect, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { principal } from "../../../test/support/in-process.ts";
import { unsubscribeUrl } from "../src/unsubscribe/links.ts";
import { database, inboxApp, PUBLIC_ORIGIN, storedPreferences, UNSUBSCRIBE_SECRET } from "./inbox-support.ts";

/**
 * One-click unsubscribe (RFC 8058) without a session: the link's page changes nothing, its POST turns
 * exactly one user's email of one category off, and a tampered or borrowed token changes nothing at all.
 */
const { raw } = inboxApp();
afterAll(() => database.end());

const env = { PUBLIC_ORIGIN, UNSUBSCRIBE_SECRET };
/** The path and query of a user's link, as the gateway forwards it. */
async function linkFor(userId: string, category: "learning" | "purchases") {
  const url = new URL(await unsubscribeUrl(env, userId, category));
  expect(url.origin).toBe(PUBLIC_ORIGIN);
  return `${url.pathname}${url.search}`;
}
const oneClick = (path: string) =>
  raw("POST", path, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
const browser = { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8" };

describe("unsubscribing", () => {
  it("the link's page says what it stops, offers a button, and changes nothing", async () => {
    const person = principal();
    const link = await linkFor(person.userId, "learning");
    const page = await raw("GET", link, { headers: browser });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.text).toContain("Course completions and certificates");
    expect(page.text).not.toContain("<script");
    // The button posts back to the same link; the token is escaped into the attribute.
    const action = /<form method="post" action="([^"]+)">/.exec(page.text)?.[1]?.replaceAll("&amp;", "&");
    expect(action && decodeURIComponent(action)).toBe(decodeURIComponent(link));
    // Fetched again, as scanners do: still nothing stored.
    await raw("GET", link);
    expect(await storedPreferences(person.userId)).toEqual([]);
  });

  it("a mail client's one-click POST turns only that user's email of that category off (no session)", async () => {
    const person = principal();
    const neighbour = principal();
    await oneClick(await linkFor(neighbour.userId, "purchases"));
    const before = await storedPreferences(neighbour.userId);

    const done = await oneClick(await linkFor(person.userId, "learning"));
    expect(done.status).toBe(204);
    expect(done.text).toBe("");
    expect(await storedPreferences(person.userId)).toEqual(["learning/email=false"]);
    expect(await storedPreferences(neighbour.userId)).toEqual(before);
    expect(before).toEqual(["purchases/email=false"]);

    // Again (a client retrying): the same state, still 204.
    expect((await oneClick(await linkFor(person.userId, "learning"))).status).toBe(204);
    expect(await storedPreferences(person.userId)).toEqual(["learning/email=false"]);
  });

  it("the page's button unsubscribes too, and answers a confirmation page", async () => {
    const person = principal();
    const done = await raw("POST", await linkFor(person.userId, "purchases"), {
      headers: { ...browser, "content-type": "application/x-www-form-urlencoded" },
      body: "confirm=yes",
    });
    expect(done.status).toBe(200);
    expect(done.headers.get("content-type")).toContain("text/html");
    expect(done.text).toContain("You are unsubscribed");
    expect(done.text).toContain("Purchase confirmations and refunds");
    expect(await storedPreferences(person.userId)).toEqual(["purchases/email=false"]);
  });

  it("a tampered token is a 400 problem for API clients, a clear page for browsers, and changes nothing", async () => {
    const person = principal();
    const link = await linkFor(person.userId, "learning");
    const tampered = [
      link.replace("learning", "purchases"),
      link.slice(0, -2),
      "/api/notifications/unsubscribe?token=v1.garbage",
      "/api/notifications/unsubscribe",
    ];
    for (const path of tampered) {
      const refused = await oneClick(path);
      expect(refused.status, path).toBe(400);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      const problem = JSON.parse(refused.text) as ProblemDetails;
      expect(problem.errors?.map((error) => error.path)).toEqual(["query.token"]);

      const page = await raw("GET", path, { headers: browser });
      expect(page.status, path).toBe(400);
      expect(page.headers.get("content-type")).toContain("text/html");
      expect(page.text).toContain("This unsubscribe link does not work");
    }
    expect(await storedPreferences(person.userId)).toEqual([]);
  });

  it("user A's token cannot unsubscribe user B", async () => {
    const a = principal();
    const b = principal();
    const linkOfA = await linkFor(a.userId, "learning");
    const bent = linkOfA.replace(a.userId, b.userId);
    expect(bent).not.toBe(linkOfA);
    expect((await oneClick(bent)).status).toBe(400);
    expect(await storedPreferences(b.userId)).toEqual([]);
    expect(await storedPreferences(a.userId)).toEqual([]);
  });
});
