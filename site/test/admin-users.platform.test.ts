import type { BrowserContext } from "playwright-core";
import { describe, expect, it } from "vitest";
import { api, gatewayUrl } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
import { accountOf, signInStatus, someone, type Someone } from "./admin-support.ts";
import { signInThroughSite, submitForm } from "./site-forms.ts";

/**
 * The admin console's people pages in Chromium on the running stack: an admin searches, changes
 * a role, disables someone (who is signed out in their own browser at once) and enables them
 * again, erases someone after typing their address, and is told why the API refused what it
 * refused. What each form did is checked at the API, not only on the page.
 */
const browser = useBrowser();

/** A word only this run's people have in their names, so a search finds exactly them. */
const runWord = () => `Zq${Math.random().toString(36).slice(2, 8)}`;

async function adminAt(path: string, tag: string) {
  const admin = await someone(tag, ["admin"], `Ada ${tag}`);
  const watched = await browser.newPage();
  await signInThroughSite(watched.page, admin.email, path);
  return { admin, ...watched };
}

const cookieNames = async (context: BrowserContext) => (await context.cookies()).map((cookie) => cookie.name);

describe("people", () => {
  it("an admin finds someone, changes their roles, disables them (signed out in their own browser) and enables them", async () => {
    const word = runWord();
    const person: Someone = await someone("admin-managed", ["learner"], `Vera ${word} Managed`);
    await someone("admin-bystander", ["learner"], `Otto ${word}lich Bystander`);

    // The person is signed in, in a browser of their own.
    const theirs = await browser.newPage();
    await signInThroughSite(theirs.page, person.email, "/account");

    const { admin, page } = await adminAt("/admin/users", "admin-people");
    expect(
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true }).count(),
    ).toBe(1);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Administration");
    await checkAccessibility(page);
    await screenshot(page, "admin-users");

    // Search: a part of a name finds both, a fuller one finds one.
    await page.getByLabel("Name or email").fill(word);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(`${gatewayUrl}/admin/users?q=${word}`);
    expect(await page.locator("[data-person]").count()).toBe(2);
    await page.getByLabel("Name or email").fill(`Vera ${word}`);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/\/admin\/users\?q=Vera/);
    expect(
      await page.locator("[data-person]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-person"))),
    ).toEqual([person.userId]);
    await checkAccessibility(page);
    await screenshot(page, "admin-users-search");
    await page.getByRole("link", { name: `Manage Vera ${word} Managed` }).click();
    await page.waitForURL(`${gatewayUrl}/admin/users/${person.userId}`);
    expect(await page.locator("[data-person-email]").textContent()).toBe(person.email);
    expect(await page.locator("[data-person-status]").getAttribute("data-person-status")).toBe("active");
    await checkAccessibility(page);
    await screenshot(page, "admin-user");

    // Roles: none at all is refused here; instructor is added, and the API has it.
    await page.getByLabel("Learner", { exact: true }).uncheck();
    expect(await submitForm(page, "Save roles")).toBe(400);
    expect(await page.locator("#roles-error").textContent()).toBe("Choose at least one role.");
    expect((await accountOf(admin, person.userId)).account?.roles).toEqual(["learner"]);
    await page.getByLabel("Learner", { exact: true }).check();
    await page.getByLabel("Instructor", { exact: true }).check();
    expect(await submitForm(page, "Save roles")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/admin/users/${person.userId}?done=roles`);
    expect(await page.getByRole("status").filter({ hasText: "The roles are saved." }).count()).toBe(1);
    expect(await page.locator("[data-person-roles]").getAttribute("data-person-roles")).toBe("learner,instructor");
    expect((await accountOf(admin, person.userId)).account?.roles).toEqual(["learner", "instructor"]);

    // Disable: a step of its own that says what happens; going back does nothing.
    await page.getByRole("link", { name: "Disable account…" }).click();
    await page.waitForURL(/confirm=disable/);
    const step = page.locator("[data-confirm=disable]");
    expect(await step.getByRole("heading").textContent()).toBe(`Disable Vera ${word} Managed?`);
    await checkAccessibility(page);
    await screenshot(page, "admin-user-disable-confirm");
    await step.getByRole("link", { name: "Keep it active" }).click();
    await page.waitForURL(`${gatewayUrl}/admin/users/${person.userId}`);
    expect((await accountOf(admin, person.userId)).account?.status).toBe("active");

    await page.getByRole("link", { name: "Disable account…" }).click();
    expect(await submitForm(page, "Disable account")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/admin/users/${person.userId}?done=disabled`);
    expect(await page.locator("[data-person-status]").getAttribute("data-person-status")).toBe("disabled");
    expect(await page.locator("[data-person-sessions]").textContent()).toBe("0");
    expect((await accountOf(admin, person.userId)).account).toMatchObject({ status: "disabled", liveSessions: 0 });

    // Their browser: the next page they open finds the session over (the API refuses its token within seconds).
    await expect
      .poll(async () => {
        await theirs.page.goto(`${gatewayUrl}/account`);
        return new URL(theirs.page.url()).pathname;
      }, ASYNC_EFFECTS)
      .toBe("/signin");
    expect(await cookieNames(theirs.context)).not.toContain("__Host-el_refresh");
    expect(await cookieNames(theirs.context)).not.toContain("__Host-el_access");
    await theirs.page.goto(`${gatewayUrl}/`);
    expect(await theirs.page.locator("[data-signed-in-as]").count()).toBe(0);
    expect(await signInStatus(person)).not.toBe(200);

    // Enabled again: one click (nothing is lost by it), and the password works again.
    expect(await submitForm(page, "Enable account")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/admin/users/${person.userId}?done=enabled`);
    expect(await page.locator("[data-person-status]").getAttribute("data-person-status")).toBe("active");
    expect(await signInStatus(person)).toBe(200);
  });

  it("erases someone only once their address is typed; a wrong address erases nothing", async () => {
    const word = runWord();
    const person = await someone("admin-erased", ["learner"], `Erin ${word} Erased`);
    const { admin, page } = await adminAt(`/admin/users/${person.userId}`, "admin-eraser");

    await page.getByRole("link", { name: "Erase account…" }).click();
    await page.waitForURL(/confirm=erase/);
    const step = page.locator("[data-confirm=erase]");
    expect(await step.getByRole("heading").textContent()).toBe(`Erase Erin ${word} Erased's account for good?`);
    await checkAccessibility(page);
    await screenshot(page, "admin-user-erase-confirm");

    await step.getByLabel("Type their email address to confirm").fill(`not-${person.email}`);
    expect(await submitForm(page, "Erase account for good")).toBe(400);
    expect(await page.locator("#field-confirmEmail-error").textContent()).toBe(
      "That is not this account's address. Nothing was erased.",
    );
    expect((await accountOf(admin, person.userId)).status).toBe(200);

    await page
      .locator("[data-confirm=erase]")
      .getByLabel("Type their email address to confirm")
      .fill(person.email.toUpperCase());
    expect(await submitForm(page, "Erase account for good")).toBe(303);
    await page.waitForURL(`${gatewayUrl}/admin/users?done=erased`);
    expect(await page.getByRole("status").filter({ hasText: "The account is erased" }).count()).toBe(1);
    expect((await accountOf(admin, person.userId)).status).toBe(404);
    expect(await signInStatus(person)).not.toBe(200);
    // The profile goes too: a search no longer finds them, and their old page is a 404.
    await page.getByLabel("Name or email").fill(word);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/q=/);
    expect(await page.locator("[data-person]").count()).toBe(0);
    expect(await page.locator("[data-state=empty]").textContent()).toBe(`Nobody matches “${word}”.`);
    const gone = await page.goto(`${gatewayUrl}/admin/users/${person.userId}`);
    expect(gone?.status()).toBe(404);
    // A form posted about them now (an old tab): the 404 page too, not an error.
    const postedToGone = await page.evaluate(
      async (path) => (await fetch(path, { method: "POST", body: new URLSearchParams({ intent: "disable" }) })).status,
      `/admin/users/${person.userId}`,
    );
    expect(postedToGone).toBe(404);
  });

  it("explains what the API refuses: an admin cannot remove their own admin role, and is offered no disable or erase", async () => {
    const { admin, page } = await adminAt("/admin/users", "admin-self");
    await page.goto(`${gatewayUrl}/admin/users/${admin.userId}`);
    expect(await page.getByRole("status").filter({ hasText: "This is your own account." }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Disable account…" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Erase account…" }).count()).toBe(0);

    await page.getByLabel("Admin", { exact: true }).uncheck();
    await page.getByLabel("Learner", { exact: true }).check();
    expect(await submitForm(page, "Save roles")).toBe(409);
    const refusal = page.locator("[data-state=roles-refused]");
    expect(await refusal.locator("[data-refusal-detail]").textContent()).toBe("You cannot remove your own admin role.");
    expect((await accountOf(admin, admin.userId)).account?.roles).toEqual(["admin"]);

    // A disable posted for oneself all the same (no button offers it): the API's refusal, in its words.
    const posted = await page.evaluate(async (path) => {
      const body = new URLSearchParams({ intent: "disable" });
      const response = await fetch(path, { method: "POST", body });
      return { status: response.status, html: await response.text() };
    }, `/admin/users/${admin.userId}`);
    expect(posted.status).toBe(409);
    expect(posted.html).toContain("You cannot disable yourself.");
    expect((await accountOf(admin, admin.userId)).account?.status).toBe("active");
  });

  it("pages through the people found, forward and back", async () => {
    const word = runWord();
    const made = [];
    for (let n = 0; n < 21; n++) made.push(await someone(`admin-paged-${n}`, ["learner"], `Paula ${word} ${n}`));
    const { page } = await adminAt(`/admin/users?q=${word}`, "admin-pager");
    const shown = () =>
      page.locator("[data-person]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-person")));
    const first = await shown();
    expect(first).toHaveLength(20);
    await page.getByRole("link", { name: "Next page" }).click();
    await page.waitForURL(/cursor=/);
    const second = await shown();
    expect(second).toHaveLength(1);
    expect([...first, ...second].sort()).toEqual(made.map((person) => person.userId).sort());
    expect(await page.getByRole("link", { name: "Next page" }).count()).toBe(0);
    await page.getByRole("link", { name: "Previous page" }).click();
    await page.waitForURL(`${gatewayUrl}/admin/users?q=${word}`);
    expect(await shown()).toEqual(first);
    expect(await page.getByRole("link", { name: "Previous page" }).count()).toBe(0);
  });

  it("speaks German to an admin whose profile says so", async () => {
    const admin = await someone("admin-german", ["admin"], "Greta Admin");
    expect((await api("PATCH", "/api/users/me", { token: admin.token, body: { locale: "de" } })).status).toBe(200);
    const { page } = await browser.newPage({ locale: "de-DE" });
    await signInThroughSite(page, admin.email, "/admin/users");
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Verwaltung");
    expect(await page.getByLabel("Name oder E-Mail").count()).toBe(1);
    await checkAccessibility(page);
  });
});
