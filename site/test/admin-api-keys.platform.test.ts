import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { API_KEY_PATTERN } from "@platform/contracts";
import { api, gatewayUrl } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { db } from "../../test/support/database.ts";
import { postFromPage, someone } from "./admin-support.ts";
import { signInThroughSite, submitForm } from "./site-forms.ts";

/**
 * Integrators' API keys in the admin console, in Chromium on the running stack: a key made with
 * two scopes is shown once and works against the API through the gateway, a reload shows it no
 * more, rotating shows a new one (the old one working on through its grace period), and revoking
 * makes both answer 401. A form without a name or a scope says so beside each field and makes
 * nothing; a non-admin gets the console's 403 for the page and its forms.
 */
const browser = useBrowser();
const here = "/admin/api-keys";
const word = () => Math.random().toString(36).slice(2, 8);

const keysNamed = async (name: string) =>
  (await db.query<{ id: string }>("select id from auth.api_keys where name = $1", [name])).rows;
const coursesWith = async (key: string) =>
  (await api("GET", "/api/courses?limit=1", { headers: { authorization: `Bearer ${key}` } })).status;
const shownSecret = async (page: Page) => (await page.locator("[data-api-key-secret]").textContent())?.trim() ?? "";

async function adminOnKeysPage(tag: string) {
  const admin = await someone(tag, ["admin"], `Ada ${tag}`);
  const { page, context } = await browser.newPage();
  await signInThroughSite(page, admin.email, here);
  return { admin, page, context };
}

describe("API keys in the admin console", () => {
  it("an admin makes a key with two scopes, sees it once, uses it, rotates it and revokes it", async () => {
    const name = `CRM sync ${word()}`;
    const { admin, page, context } = await adminOnKeysPage("admin-api-keys");
    const nav = page.getByRole("navigation", { name: "Administration sections" });
    expect(await nav.getByRole("link", { name: "API keys" }).getAttribute("aria-current")).toBe("page");

    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("courses:read").check();
    await page.getByLabel("events:read").check();
    // The answer to the post is the page with the key: a 200, not a redirect to an address.
    expect(await submitForm(page, "Make key")).toBe(200);
    const secret = await shownSecret(page);
    expect(secret).toMatch(API_KEY_PATTERN);
    expect(await page.locator("[data-issued-key=created] [data-issued-warning]").textContent()).toContain(
      "It will not be shown again",
    );
    expect(page.url()).toBe(`${gatewayUrl}${here}`);
    expect(JSON.stringify(await context.cookies())).not.toContain(secret.slice(-43));
    const [made] = await keysNamed(name);
    expect(made).toBeDefined();
    const item = page.locator(`[data-api-key="${made?.id}"]`);
    expect(await item.getAttribute("data-api-key-scopes")).toBe("courses:read events:read");
    expect(await item.getAttribute("data-api-key-revoked")).toBe("false");
    // The form is empty again, ready for another key.
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("");
    await checkAccessibility(page);
    await screenshot(page, "admin-api-key-made");

    // The key works through the gateway, for what its scopes open and nothing else.
    expect(await coursesWith(secret)).toBe(200);
    const withSecret = { headers: { authorization: `Bearer ${secret}` } };
    expect((await api("GET", "/api/events?limit=1", withSecret)).status).toBe(200);
    expect((await api("POST", "/api/courses", { ...withSecret, body: {} })).status).toBe(403);
    const listed = await api<{ items: Array<{ id: string; scopes: string[]; lastUsedAt: string | null }> }>(
      "GET",
      "/api/auth/api-keys",
      { token: admin.token },
    );
    expect(listed.body.items.find((key) => key.id === made?.id)).toMatchObject({
      scopes: ["courses:read", "events:read"],
    });

    // Reloading reads the list again: no key on the page, and no second key made.
    const reloaded = await page.reload();
    expect(reloaded?.request().method()).toBe("GET");
    expect(await page.locator("[data-api-key-secret]").count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    expect(await keysNamed(name)).toHaveLength(1);
    expect(await item.getAttribute("data-api-key-last-used")).not.toBe("");

    // Rotation: a confirmation with a grace period, then the new key, once.
    await item.getByRole("link", { name: `Rotate… ${name}` }).click();
    await page.waitForURL(/rotate=/);
    expect(await page.locator("[data-confirm=rotate]").getByRole("heading").textContent()).toContain(name);
    await page.getByLabel("The current secret keeps working for").selectOption({ label: "1 hour" });
    await checkAccessibility(page);
    expect(await submitForm(page, "Rotate key")).toBe(200);
    const rotated = await shownSecret(page);
    expect(rotated).toMatch(API_KEY_PATTERN);
    expect(rotated).not.toBe(secret);
    expect(await page.locator("[data-issued-key=rotated] [data-old-secret]").textContent()).toContain(
      "The previous secret keeps working until",
    );
    expect(await item.getAttribute("data-api-key-grace")).toBe("true");
    expect(await coursesWith(rotated)).toBe(200);
    expect(await coursesWith(secret)).toBe(200);
    await screenshot(page, "admin-api-key-rotated");
    await page.reload();
    expect(await page.locator("[data-api-key-secret]").count()).toBe(0);
    expect(await page.content()).not.toContain(rotated);

    // Revocation: a confirmation, then neither secret works.
    await item.getByRole("link", { name: `Revoke… ${name}` }).click();
    await page.waitForURL(/revoke=/);
    expect(await page.locator("[data-confirm=revoke]").getByRole("heading").textContent()).toBe(`Revoke “${name}”?`);
    await checkAccessibility(page);
    expect(await submitForm(page, "Revoke key")).toBe(303);
    await page.waitForURL(`${gatewayUrl}${here}?done=revoked`);
    expect(await page.getByRole("status").filter({ hasText: "The key is revoked." }).count()).toBe(1);
    expect(await item.getAttribute("data-api-key-revoked")).toBe("true");
    expect(await item.getByRole("link", { name: `Rotate… ${name}` }).count()).toBe(0);
    expect(await coursesWith(rotated)).toBe(401);
    expect(await coursesWith(secret)).toBe(401);

    // Revoking it again from an old tab: the page says it moved on, and nothing changes.
    expect(await postFromPage(page, here, { intent: "rotate", id: made?.id ?? "", graceSeconds: "0" })).toBe(404);
    expect(await page.locator("[data-state=rotate-refused] [data-refusal-detail]").textContent()).toBe(
      "No such API key, or it was revoked.",
    );
    expect(await page.locator("[data-api-key-secret]").count()).toBe(0);
  });

  it("a form without a name or a scope says so beside each field and makes nothing", async () => {
    const { page } = await adminOnKeysPage("admin-api-keys-bad-form");
    const before = (await db.query<{ n: number }>("select count(*)::int as n from auth.api_keys")).rows[0]?.n;

    // Spaces pass the browser's own check of a required field; the page's check does not take them.
    await page.getByLabel("Name", { exact: true }).fill("   ");
    expect(await submitForm(page, "Make key")).toBe(400);
    expect(await page.locator("#field-name-error").textContent()).toBe("Give the key a name.");
    expect(await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#scopes-error").textContent()).toBe("Choose at least one scope.");
    expect(await page.locator("[data-api-key-secret]").count()).toBe(0);
    await checkAccessibility(page);
    await screenshot(page, "admin-api-key-form-errors");

    // A name without a scope keeps the name; a scope the platform does not know is no scope.
    const name = `Half a key ${word()}`;
    expect(await postFromPage(page, here, { intent: "create", name, scopes: "everything" })).toBe(400);
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe(name);
    expect(await page.locator("#field-name-error").count()).toBe(0);
    expect(await page.locator("#scopes-error").textContent()).toBe("Choose at least one scope.");
    // Too long a name, with a scope ticked: the scope stays ticked.
    expect(await postFromPage(page, here, { intent: "create", name: "x".repeat(101), scopes: "courses:write" })).toBe(
      400,
    );
    expect(await page.locator("#field-name-error").textContent()).toBe("The name can have at most 100 characters.");
    expect(await page.getByLabel("courses:write").isChecked()).toBe(true);

    const after = (await db.query<{ n: number }>("select count(*)::int as n from auth.api_keys")).rows[0]?.n;
    expect(after).toBe(before);
    expect(await keysNamed(name)).toHaveLength(0);
  });

  it("is refused to a non-admin, the page and its forms, and nothing is made", async () => {
    const visitor = await someone("admin-api-keys-learner", ["instructor"]);
    const { page } = await browser.newPage();
    await signInThroughSite(page, visitor.email, "/");
    const response = await page.goto(`${gatewayUrl}${here}`);
    expect(response?.status()).toBe(403);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Admins only");
    expect(await page.locator("[data-form=create-api-key]").count()).toBe(0);

    const name = `Sneaky ${word()}`;
    expect(await postFromPage(page, here, { intent: "create", name, scopes: "courses:read" })).toBe(403);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Admins only");
    expect(await page.locator("[data-api-key-secret]").count()).toBe(0);
    expect(await keysNamed(name)).toHaveLength(0);
    // The API refuses them too: the page is not the authorization.
    expect((await api("GET", "/api/auth/api-keys", { token: visitor.token })).status).toBe(403);
  });
});
