import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, api, gatewayUrl, uniqueEmail, type TokenPair } from "../../../test/support/api.ts";
import { mailTo, type ReceivedMail } from "../../../test/support/mailbox.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";

/**
 * The account mails end to end: auth asks the notifications worker, which sends by SMTP to the
 * test mailbox; the test takes the link out of the mail that arrived and follows it through the
 * site's pages (which post to the API server-side), as a person would with a browser.
 */
const NEW_PASSWORD = "a brand new passphrase";

/** The first link to `path` in any mail to `to`, waiting for the mail to arrive. */
async function linkInMail(to: string, path: string): Promise<{ url: URL; mail: ReceivedMail }> {
  const pattern = new RegExp(`https?://[^\\s"'<>]+${path.replaceAll("/", "\\/")}\\?token=[A-Za-z0-9_-]+`);
  let found: { url: URL; mail: ReceivedMail } | undefined;
  await expect
    .poll(
      async () => {
        for (const mail of await mailTo(to)) {
          const match = pattern.exec(mail.text) ?? pattern.exec(mail.html.replaceAll("&amp;", "&"));
          if (match) found = { url: new URL(match[0]), mail };
        }
        return found !== undefined;
      },
      { ...ASYNC_EFFECTS, message: `a mail to ${to} with a link to ${path}` },
    )
    .toBe(true);
  if (!found) throw new Error("unreachable");
  return found;
}

/** A page of the site through the gateway, as a browser would load it or post its form. */
async function page(url: URL | string, form?: Record<string, string>, origin = new URL(gatewayUrl).origin) {
  const target = new URL(typeof url === "string" ? url : `${url.pathname}${url.search}`, gatewayUrl);
  const response = await fetch(target, {
    method: form ? "POST" : "GET",
    headers: form ? { "content-type": "application/x-www-form-urlencoded", origin } : {},
    body: form ? new URLSearchParams(form) : undefined,
    redirect: "manual",
  });
  const html = await response.text();
  const state = /data-state="([a-z-]+)"/.exec(html)?.[1];
  return { status: response.status, html, state, headers: response.headers };
}

const emailVerified = async (accessToken: string) =>
  (await api<{ emailVerified: boolean }>("GET", "/api/auth/me", { token: accessToken })).body.emailVerified;

describe("account mails, end to end", () => {
  it("verification: the mailed link opens a page that changes nothing until its button is pressed", async () => {
    const email = uniqueEmail("e2e-verify");
    const registered = await api("POST", "/api/auth/register", {
      body: { email, password: GOOD_PASSWORD, name: "Verity" },
    });
    expect(registered.status).toBe(201);
    const signedIn = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });

    const { url, mail } = await linkInMail(email, "/account/verify-email");
    expect(mail.envelope.to).toEqual([email]);
    expect(url.origin).toBe(new URL(gatewayUrl).origin);
    const token = url.searchParams.get("token") ?? "";

    const opened = await page(url);
    expect(opened.status).toBe(200);
    expect(opened.state).toBe("ask");
    expect(opened.headers.get("cache-control")).toBe("no-store");
    expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
    expect(await emailVerified(signedIn.body.accessToken)).toBe(false);

    // Another site's page posting the form is refused, and the link is not spent.
    const forged = await page(url, { token }, "https://evil.example");
    expect(forged.status).toBe(403);
    expect(await emailVerified(signedIn.body.accessToken)).toBe(false);

    const confirmed = await page(url, { token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.state).toBe("done");
    expect(await emailVerified(signedIn.body.accessToken)).toBe(true);

    const again = await page(url, { token });
    expect(again.status).toBe(400);
    expect(again.state).toBe("invalid");
    expect(again.html).toContain("invalid, expired or already used");
  });

  it("reset: asked on the site, the mailed link sets a new password once, and a notice follows", async () => {
    const email = uniqueEmail("e2e-reset");
    expect(
      (await api("POST", "/api/auth/register", { body: { email, password: GOOD_PASSWORD, name: "Ray" } })).status,
    ).toBe(201);
    const unknown = uniqueEmail("e2e-reset-nobody");

    // The request form answers the same for an address without an account.
    const asked = await page("/account/reset-password", { email });
    const askedForNobody = await page("/account/reset-password", { email: unknown });
    expect(asked.status).toBe(200);
    expect(asked.state).toBe("requested");
    expect(askedForNobody.state).toBe(asked.state);
    expect(askedForNobody.status).toBe(asked.status);

    const { url } = await linkInMail(email, "/account/reset-password");
    const token = url.searchParams.get("token") ?? "";
    expect((await page(url)).state).toBe("choose");

    const differing = await page(url, { token, password: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}!` });
    expect(differing.status).toBe(400);
    expect(differing.html).toContain("differ");
    const weak = await page(url, { token, password: "password123", confirmPassword: "password123" });
    expect(weak.status).toBe(400);
    expect(weak.state).toBe("choose");
    expect(weak.html).toContain("most common");

    const done = await page(url, { token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect(done.state).toBe("done");
    expect((await api("POST", "/api/auth/login", { body: { email, password: NEW_PASSWORD } })).status).toBe(200);
    expect((await api("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } })).status).toBe(401);

    const reused = await page(url, {
      token,
      password: "yet another passphrase",
      confirmPassword: "yet another passphrase",
    });
    expect(reused.state).toBe("invalid");
    expect((await api("POST", "/api/auth/login", { body: { email, password: NEW_PASSWORD } })).status).toBe(200);

    // Three account mails reached the owner (verification, reset, the notice; the welcome aside); none reached the
    // unknown address.
    const accountMails = async () =>
      (await mailTo(email)).filter((mail) => mail.subject !== "Welcome to Edge Learning");
    await expect.poll(async () => (await accountMails()).length, ASYNC_EFFECTS).toBe(3);
    expect(await mailTo(unknown)).toEqual([]);
  });

  it("a second registration of the address mails its owner, not a verification link", async () => {
    const email = uniqueEmail("e2e-exists");
    expect(
      (await api("POST", "/api/auth/register", { body: { email, password: GOOD_PASSWORD, name: "Owner" } })).status,
    ).toBe(201);
    await linkInMail(email, "/account/verify-email");
    const again = await api("POST", "/api/auth/register", { body: { email, password: GOOD_PASSWORD, name: "Other" } });
    expect(again.status).toBe(201);
    // The address also gets its welcome (from USER_CREATED, whenever it is consumed): look for the owner's notice.
    const tellsTheOwner = (mail: { text: string }) => mail.text.includes("/account/reset-password");
    await expect.poll(async () => (await mailTo(email)).filter(tellsTheOwner).length, ASYNC_EFFECTS).toBe(1);
    const mails = await mailTo(email);
    const notice = mails.find(tellsTheOwner);
    expect(notice?.text).not.toMatch(/token=/);
    // Only the first registration sent a verification link.
    expect(mails.filter((mail) => /\/account\/verify-email\?token=/.test(mail.text))).toHaveLength(1);
  });
});
