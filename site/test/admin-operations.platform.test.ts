import { afterAll, describe, expect, it, vi } from "vitest";
import { triggerOutboxSweep } from "@platform/dev-stack";
import { api, gatewayUrl } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { publishedCourse } from "../../test/support/courses.ts";
import { db } from "../../test/support/database.ts";
import { instructor } from "../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
import { sessionIdOf, stripe } from "../../workers/payments/test/support/stripe.ts";
import { postFromPage, someone, submitIn } from "./admin-support.ts";
import { signInThroughSite, submitForm } from "./site-forms.ts";

/**
 * Running the school from the admin console in Chromium on the running stack: a dead letter read
 * and replayed, a purchase found and refunded, a plan offered, edited and retired, a sign-in
 * provider added, disabled, enabled and removed, and mismatches listed. Each refusal the API
 * gives shows in its words; what each form did is checked at the API or in the database.
 */
const browser = useBrowser();
const word = () => Math.random().toString(36).slice(2, 8);

async function adminAt(path: string, tag: string) {
  const admin = await someone(tag, ["admin"], `Ada ${tag}`);
  const watched = await browser.newPage();
  await signInThroughSite(watched.page, admin.email, path);
  return { admin, ...watched };
}

describe("dead letters", () => {
  it("an admin reads a dead letter's body and why it died, and replays it after confirming", async () => {
    // A COURSE_PUBLISHED missing its data (workers/events/test/delivery.platform.test.ts): no consumer can apply it.
    const eventId = `01a2f001-0000-7000-8000-${Math.floor(Math.random() * 1e12)
      .toString(16)
      .padStart(12, "0")}`;
    const poison = { id: eventId, type: "COURSE_PUBLISHED", source: "courses", version: 1, aggregateId: "x", data: {} };
    await db.query("insert into courses.outbox (id, type, topic, aggregate_id, envelope) values ($1, $2, $3, $4, $5)", [
      eventId,
      "COURSE_PUBLISHED",
      "course-events",
      "x",
      JSON.stringify(poison),
    ]);
    await triggerOutboxSweep(gatewayUrl);
    const letterId = await vi.waitFor(async () => {
      const { rows } = await db.query<{ id: string }>("select id from events.dead_letters where event_id = $1", [
        eventId,
      ]);
      expect(rows[0], "the dead letter").toBeDefined();
      return rows[0]?.id ?? "";
    }, ASYNC_EFFECTS);

    const { page } = await adminAt("/admin/dead-letters", "admin-dead-letters");
    const listed = page.locator(`[data-dead-letter="${letterId}"]`);
    expect(await listed.getAttribute("data-event-id")).toBe(eventId);
    expect(await listed.getAttribute("data-replayed")).toBe("false");
    await checkAccessibility(page);
    await screenshot(page, "admin-dead-letters");

    await listed.getByRole("link", { name: `Inspect COURSE_PUBLISHED ${eventId}` }).click();
    await page.waitForURL(`${gatewayUrl}/admin/dead-letters/${letterId}`);
    expect(JSON.parse((await page.locator("[data-dead-letter-body]").textContent()) ?? "")).toEqual(poison);
    expect(await page.locator("[data-reason]").textContent()).toMatch(/^not a valid platform event: /);
    expect(await page.locator("[data-replayed-at]").getAttribute("data-replayed-at")).toBe("");
    await checkAccessibility(page);
    await screenshot(page, "admin-dead-letter");

    await page.getByRole("link", { name: "Replay…" }).click();
    await page.waitForURL(/confirm=replay/);
    expect(await page.locator("[data-confirm=replay]").getByRole("heading").textContent()).toBe(
      "Send this message back to the queue?",
    );
    expect(await submitForm(page, "Replay message")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/admin/dead-letters/${letterId}?done=replayed`);
    expect(await page.getByRole("status").filter({ hasText: "The message is back on the queue." }).count()).toBe(1);
    expect(await page.locator("[data-replayed-at]").getAttribute("data-replayed-at")).not.toBe("");
    const { rows } = await db.query("select replayed_at from events.dead_letters where id = $1", [letterId]);
    expect(rows[0]?.replayed_at).toBeInstanceOf(Date);
    // It really went back to the Queue: still poison, it comes round its retries as a second dead letter.
    await expect
      .poll(
        async () =>
          (
            await db.query<{ n: number }>("select count(*)::int as n from events.dead_letters where event_id = $1", [
              eventId,
            ])
          ).rows[0]?.n,
        { ...ASYNC_EFFECTS, message: "the replayed message to be dead-lettered again" },
      )
      .toBe(2);

    // One that does not exist: the 404 page, not an error.
    const missing = await page.goto(`${gatewayUrl}/admin/dead-letters/01a2f002-0000-7000-8000-000000000000`);
    expect(missing?.status()).toBe(404);
    // A replay posted for it (an old tab): the 404 page too. Astro cannot rewrite once a body was read.
    const postedToMissing = await page.evaluate(
      async (path) => (await fetch(path, { method: "POST", body: new URLSearchParams({ intent: "replay" }) })).status,
      "/admin/dead-letters/01a2f002-0000-7000-8000-000000000000",
    );
    expect(postedToMissing).toBe(404);
  });
});

describe("payments and refunds", () => {
  it("an admin finds a buyer's paid purchase and refunds it after confirming; refunding it again is refused with the reason", async () => {
    const author = await instructor("admin-refund-author");
    const course = await publishedCourse(author, {
      title: "Refundable course",
      price: { amountMinor: 4900, currency: "EUR" },
    });
    const buyer = await someone("admin-refund-buyer");
    const opened = await api<{ paymentId: string; checkoutUrl: string }>("POST", `/api/payments/courses/${course.id}`, {
      token: buyer.token,
    });
    expect(opened.status).toBe(201);
    const { paymentId } = opened.body;
    await stripe.completeCheckout(sessionIdOf(opened.body.checkoutUrl));
    const statusOf = async () =>
      (
        await api<{ items: Array<{ id: string; status: string }> }>("GET", "/api/payments/me", { token: buyer.token })
      ).body.items.find((item) => item.id === paymentId)?.status;
    await expect.poll(statusOf, { ...ASYNC_EFFECTS, message: "the purchase to be paid" }).toBe("paid");

    const { page } = await adminAt("/admin/payments", "admin-refunder");
    // A buyer id that is not one: the API's words beside the field.
    await page.getByLabel("Buyer's account id").fill("not-an-id");
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await page.waitForURL(/userId=not-an-id/);
    expect(await page.locator("#filter-userId-error").count()).toBe(1);
    expect(await page.getByLabel("Buyer's account id").getAttribute("aria-invalid")).toBe("true");

    await page.getByLabel("Buyer's account id").fill(buyer.userId);
    await page.getByLabel("Status").selectOption("paid");
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await page.waitForURL(/status=paid/);
    const row = page.locator(`[data-payment="${paymentId}"]`);
    expect(await row.getAttribute("data-payment-status")).toBe("paid");
    expect(await page.locator("[data-payment]").count()).toBe(1);
    await checkAccessibility(page);
    await screenshot(page, "admin-payments");

    await row.getByRole("link", { name: "Refund… Refundable course" }).click();
    await page.waitForURL(/refund=/);
    expect(await page.locator("[data-confirm=refund]").getByRole("heading").textContent()).toBe(
      "Refund “Refundable course”?",
    );
    await checkAccessibility(page);
    expect(await submitForm(page, "Refund €49.00")).toBe(303);
    await page.waitForURL(/done=refunded/);
    expect(await page.getByRole("status").filter({ hasText: "The payment is refunded" }).count()).toBe(1);
    // The filter (paid) still applies: the refunded purchase has left the list.
    expect(await page.locator(`[data-payment="${paymentId}"]`).count()).toBe(0);
    expect(await statusOf()).toBe("refunded");

    // Posted again all the same: the API's reason, in its words.
    expect(await postFromPage(page, "/admin/payments", { intent: "refund", id: paymentId })).toBe(409);
    expect(await page.locator("[data-state=refund-refused] [data-refusal-detail]").textContent()).toBe(
      "This payment has already been refunded.",
    );
  });
});

describe("plans", () => {
  it("an admin offers a plan priced in money, edits its price, retires it after confirming and offers it again", async () => {
    const name = `Admin plan ${word()}`;
    const { admin, page } = await adminAt("/admin/plans", "admin-plans");
    const planNamed = async () =>
      (
        await api<{ items: Array<{ id: string; name: string; interval: string; active: boolean; price: object }> }>(
          "GET",
          "/api/payments/plans?includeInactive=true",
          { token: admin.token },
        )
      ).body.items.find((plan) => plan.name === name);

    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Billed").selectOption("year");
    await page.getByLabel("Price", { exact: true }).fill("twelve");
    expect(await submitForm(page, "Create plan")).toBe(400);
    expect(await page.locator("#field-amount-error").textContent()).toContain("Enter an amount such as 19.00");
    // Under the currency's minimum: the API's rule, beside the field.
    await page.getByLabel("Price", { exact: true }).fill("0.10");
    expect(await submitForm(page, "Create plan")).toBe(400);
    expect(await page.locator("#field-amount-error").count()).toBe(1);
    expect(await planNamed()).toBeUndefined();

    await page.getByLabel("Price", { exact: true }).fill("190,00");
    expect(await submitForm(page, "Create plan")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/admin/plans?done=created`);
    const created = await planNamed();
    expect(created).toMatchObject({ interval: "year", active: true, price: { amountMinor: 19000, currency: "EUR" } });
    await checkAccessibility(page);
    await screenshot(page, "admin-plans");

    const item = page.locator(`[data-plan="${created?.id}"]`);
    await item.getByRole("link", { name: "Edit" }).click();
    await page.waitForURL(/edit=/);
    expect(await page.getByLabel("Price", { exact: true }).inputValue()).toBe("190.00");
    await page.getByLabel("Price", { exact: true }).fill("149.50");
    expect(await submitForm(page, "Save plan")).toBe(303);
    expect((await planNamed())?.price).toEqual({ amountMinor: 14950, currency: "EUR" });

    await page.locator(`[data-plan="${created?.id}"]`).getByRole("link", { name: "Retire…" }).click();
    await page.waitForURL(/retire=/);
    expect(await submitForm(page, "Retire plan")).toBe(303);
    expect((await planNamed())?.active).toBe(false);
    expect(await page.locator(`[data-plan="${created?.id}"]`).getAttribute("data-plan-active")).toBe("false");
    expect(await submitIn(page, page.locator(`[data-plan="${created?.id}"]`), "Offer again")).toBe(303);
    expect((await planNamed())?.active).toBe(true);
    // Left retired, so the plans on offer to everyone else are as they were.
    await api("PATCH", `/api/payments/plans/${created?.id}`, { token: admin.token, body: { active: false } });
  });
});

describe("sign-in providers", () => {
  const added: string[] = [];
  let cleanupToken = "";
  afterAll(async () => {
    for (const id of added) await api("DELETE", `/api/auth/providers/${id}`, { token: cleanupToken });
  });

  it("an admin adds a provider (refusals beside the fields), disables, enables and removes it after confirming", async () => {
    const slug = `adm-${word()}`;
    const { admin, page } = await adminAt("/admin/providers", "admin-providers");
    cleanupToken = admin.token;
    const providerNamed = async () =>
      (
        await api<{ items: Array<{ id: string; slug: string; enabled: boolean; roleMap: object }> }>(
          "GET",
          "/api/auth/providers",
          { token: admin.token },
        )
      ).body.items.find((provider) => provider.slug === slug);
    const form = page.locator("form[data-form=add-provider]");
    await form.getByLabel("Short name").fill("Not A Slug!");
    await form.getByLabel("Issuer").fill(`https://idp-${slug}.example`);
    await form.getByLabel("Client ID").fill("edge-learning");
    await form.getByLabel("Audience", { exact: true }).fill("edge-learning");
    await form.getByLabel("Role mapping").fill("teacher = wizard");
    expect(await submitForm(page, "Add provider")).toBe(400);
    expect(await page.locator("#field-roleMap-error").textContent()).toContain("teacher = wizard");

    await page.locator("form[data-form=add-provider]").getByLabel("Role mapping").fill("teacher = instructor");
    expect(await submitForm(page, "Add provider")).toBe(400);
    expect(await page.locator("#field-slug-error").textContent()).toBe("Lower-case letters, digits and dashes.");
    expect(await providerNamed()).toBeUndefined();

    await page.locator("form[data-form=add-provider]").getByLabel("Short name").fill(slug);
    expect(await submitForm(page, "Add provider")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/admin/providers?done=added`);
    const provider = await providerNamed();
    expect(provider).toMatchObject({ enabled: true, roleMap: { teacher: "instructor" } });
    if (provider) added.push(provider.id);
    await checkAccessibility(page);
    await screenshot(page, "admin-providers");

    // The same slug again: the API's conflict, in its words.
    const again = page.locator("form[data-form=add-provider]");
    await again.getByLabel("Short name").fill(slug);
    await again.getByLabel("Issuer").fill(`https://idp-${slug}.example`);
    await again.getByLabel("Client ID").fill("edge-learning");
    await again.getByLabel("Audience", { exact: true }).fill("edge-learning");
    expect(await submitForm(page, "Add provider")).toBe(409);
    expect(await page.locator("[data-state=add-refused] [data-refusal-detail]").textContent()).not.toBe("");

    const card = () => page.locator(`[data-provider="${slug}"]`);
    await card().getByRole("link", { name: "Disable…" }).click();
    await page.waitForURL(/disable=/);
    expect(await submitForm(page, "Disable provider")).toBe(303);
    expect((await providerNamed())?.enabled).toBe(false);
    expect(await card().getAttribute("data-provider-enabled")).toBe("false");
    expect(await submitIn(page, card(), "Enable")).toBe(303);
    expect((await providerNamed())?.enabled).toBe(true);

    await card().getByRole("link", { name: "Remove…" }).click();
    await page.waitForURL(/remove=/);
    expect(await page.locator("[data-confirm=remove]").getByRole("heading").textContent()).toBe(`Remove ${slug}?`);
    expect(await submitForm(page, "Remove provider")).toBe(303);
    expect(await providerNamed()).toBeUndefined();
    expect(await card().count()).toBe(0);
  });
});

describe("mismatches", () => {
  it("lists open and resolved mismatches, and refuses a resolution without a note", async () => {
    const { page } = await adminAt("/admin/mismatches", "admin-mismatches");
    expect(await page.getByRole("heading", { level: 2, name: "Open" }).count()).toBe(1);
    await checkAccessibility(page);
    await page.getByRole("link", { name: "Resolved", exact: true }).click();
    await page.waitForURL(`${gatewayUrl}/admin/mismatches?status=resolved`);
    expect(await page.getByRole("heading", { level: 2, name: "Resolved" }).count()).toBe(1);
    const missingNote = await postFromPage(page, "/admin/mismatches", {
      intent: "resolve",
      id: "01a2f004-0000-7000-8000-000000000000",
      resolution: "dismissed",
      note: "",
    });
    expect(missingNote).toBe(400);
    // A mismatch that does not exist: the API's 404, in its words.
    expect(
      await postFromPage(page, "/admin/mismatches", {
        intent: "resolve",
        id: "01a2f004-0000-7000-8000-000000000000",
        resolution: "dismissed",
        note: "Checked at Stripe.",
      }),
    ).toBe(404);
    expect(await page.locator("[data-state=resolve-refused] [data-refusal-detail]").textContent()).not.toBe("");
  });
});
