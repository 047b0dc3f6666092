import { describe, expect, it } from "vitest";
import type { PlatformRole } from "@platform/contracts";
import { api, gatewayUrl } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { ADMIN_PAGES, accountOf, postFromPage, someone } from "./admin-support.ts";
import { signInThroughSite } from "./site-forms.ts";

/**
 * Who may use the admin console: signed-out visitors are sent to sign in; learners and
 * instructors get a 403 page for every admin page and every admin form, before anything is read
 * or changed; and the API refuses them too (the page is not the authorization).
 */
const browser = useBrowser();
const origin = new URL(gatewayUrl).origin;
const SOME_ID = "01a2f003-0000-7000-8000-000000000000";

describe("signed out", () => {
  it("every admin page sends the visitor to sign in, and back to the page asked for", async () => {
    for (const path of [
      ...ADMIN_PAGES,
      `/admin/users/${SOME_ID}`,
      `/admin/dead-letters/${SOME_ID}`,
      "/admin/forbidden",
    ]) {
      const response = await fetch(`${gatewayUrl}${path}`, { redirect: "manual" });
      expect(response.status, path).toBe(303);
      const to = new URL(response.headers.get("location") ?? "", gatewayUrl);
      expect(to.pathname, path).toBe("/signin");
      expect(to.searchParams.get("returnTo"), path).toBe(path);
    }
  });

  it("a form posted without a session changes nothing and goes to sign in", async () => {
    const target = await someone("admin-signed-out-target");
    const admin = await someone("admin-signed-out-checker", ["admin"]);
    const response = await fetch(`${gatewayUrl}/admin/users/${target.userId}`, {
      method: "POST",
      redirect: "manual",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "disable" }),
    });
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get("location") ?? "", gatewayUrl).pathname).toBe("/signin");
    expect((await accountOf(admin, target.userId)).account?.status).toBe("active");
  });
});

describe.each<PlatformRole>(["learner", "instructor"])("a signed-in %s", (role) => {
  it("is refused every admin page and every admin action, by the site and by the API", async () => {
    const admin = await someone(`admin-check-${role}`, ["admin"]);
    const target = await someone(`admin-target-${role}`, ["learner"], `Tara Target ${role}`);
    const visitor = await someone(`admin-refused-${role}`, [role]);
    const { page } = await browser.newPage();
    await signInThroughSite(page, visitor.email, "/");
    expect(
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true }).count(),
    ).toBe(0);

    const pages = [...ADMIN_PAGES, `/admin/users/${target.userId}`, `/admin/dead-letters/${SOME_ID}`];
    for (const path of pages) {
      const response = await page.goto(`${gatewayUrl}${path}`);
      expect(response?.status(), path).toBe(403);
      expect(await page.getByRole("heading", { level: 1 }).textContent(), path).toBe("Admins only");
      // Nothing of what the page would show reached this browser.
      expect(await page.content(), path).not.toContain(target.email);
    }
    const refusedPage = await page.goto(`${gatewayUrl}/admin/users`);
    expect(refusedPage?.headers()["cache-control"]).toBe("private, no-store");
    await checkAccessibility(page);
    await screenshot(page, `admin-forbidden-${role}`);

    const actions: Array<[string, Record<string, string>]> = [
      [`/admin/users/${target.userId}`, { intent: "roles", roles: "admin" }],
      [`/admin/users/${visitor.userId}`, { intent: "roles", roles: "admin" }],
      [`/admin/users/${target.userId}`, { intent: "disable" }],
      [`/admin/users/${target.userId}`, { intent: "erase", confirmEmail: target.email }],
      [
        "/admin/providers",
        { intent: "add", slug: "sneaky", issuer: "https://idp.example", clientId: "x", audience: "x" },
      ],
      ["/admin/providers", { intent: "remove", id: SOME_ID }],
      ["/admin/plans", { intent: "create", name: "Free for me", interval: "month", amount: "1", currency: "EUR" }],
      ["/admin/payments", { intent: "refund", id: SOME_ID }],
      ["/admin/mismatches", { intent: "resolve", id: SOME_ID, resolution: "accepted", note: "mine" }],
      [`/admin/dead-letters/${SOME_ID}`, { intent: "replay" }],
    ];
    for (const [path, fields] of actions) {
      expect(await postFromPage(page, path, fields), `${path} ${fields.intent}`).toBe(403);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Admins only");
    }
    expect((await accountOf(admin, target.userId)).account).toMatchObject({ roles: ["learner"], status: "active" });
    expect((await accountOf(admin, visitor.userId)).account?.roles).toEqual([role]);
    const providers = await api<{ items: Array<{ slug: string }> }>("GET", "/api/auth/providers", {
      token: admin.token,
    });
    expect(providers.body.items.map((provider) => provider.slug)).not.toContain("sneaky");
    const plans = await api<{ items: Array<{ name: string }> }>("GET", "/api/payments/plans?includeInactive=true", {
      token: admin.token,
    });
    expect(plans.body.items.map((plan) => plan.name)).not.toContain("Free for me");

    // The API decides for itself: the same caller's token is refused by every admin route.
    const calls: Array<[string, string, unknown?]> = [
      ["GET", "/api/users"],
      ["GET", `/api/users/${target.userId}`],
      ["PUT", `/api/users/${target.userId}/roles`, { roles: ["admin"] }],
      ["PUT", `/api/users/${target.userId}/status`, { status: "disabled" }],
      ["DELETE", `/api/users/${target.userId}`],
      ["GET", "/api/auth/providers"],
      ["GET", "/api/payments"],
      ["GET", "/api/payments/mismatches"],
      ["GET", "/api/events/dead-letters"],
      ["GET", `/api/events/dead-letters/${SOME_ID}`],
      ["POST", `/api/events/dead-letters/${SOME_ID}/replay`],
    ];
    for (const [method, path, body] of calls) {
      const answer = await api(method, path, { token: visitor.token, ...(body !== undefined && { body }) });
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.headers.get("content-type"), `${method} ${path}`).toContain("application/problem+json");
    }
    expect((await accountOf(admin, target.userId)).status).toBe(200);
  });
});
