import { beforeAll, describe, expect, it, vi } from "vitest";
import { api, gatewayUrl, newClientAddress } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { publishedCourse, type CourseBody } from "../../test/support/courses.ts";
import { admin, instructor, learner, type Person } from "../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";

/**
 * A certificate's public verification page: anyone can see who completed which course and when,
 * get the signed credential and where to check it, and see at once when it was revoked.
 */
const browser = useBrowser();

let course: CourseBody;
let student: Person;
let certificateId: string;

beforeAll(async () => {
  course = await publishedCourse(await instructor("certificate-page-author"), { title: "Verifiable Edge Skills" });
  student = await learner("certificate-page");
  expect((await api("POST", `/api/courses/${course.id}/enroll`, { token: student.token })).status).toBe(201);
  const outline = await api<{ lessons: Array<{ id: string }> }>("GET", `/api/courses/${course.id}/lessons`, {
    token: student.token,
  });
  for (const lesson of outline.body.lessons) {
    const done = await api("POST", `/api/progress/lessons/${lesson.id}`, {
      token: student.token,
      body: { event: "completed" },
    });
    expect(done.status).toBe(200);
  }
  // COURSE_COMPLETED goes through the outbox and the Queue back to progress, which issues the certificate.
  certificateId = await vi.waitFor(async () => {
    const mine = await api<{ items: Array<{ id: string }> }>("GET", "/api/progress/certificates", {
      token: student.token,
    });
    const id = mine.body.items[0]?.id;
    if (!id) throw new Error("no certificate yet");
    return id;
  }, ASYNC_EFFECTS);
}, 120_000);

const visit = async (path: string) => {
  const response = await fetch(`${gatewayUrl}${path}`, {
    headers: { "accept-language": "en", "cf-connecting-ip": newClientAddress() },
  });
  return { status: response.status, headers: response.headers, html: await response.text() };
};

describe("a certificate's public page", () => {
  it("shows who completed which course and when, the signed credential and where to verify it", async () => {
    const { page, problems } = await browser.newPage();
    const response = await page.goto(`${gatewayUrl}/certificates/${certificateId}`);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Certificate of completion");
    // registerAndLogin names each person `User <tag>` (test/support/api.ts).
    expect(await page.locator("[data-learner]").textContent()).toBe("User certificate-page");
    expect(await page.locator("[data-course-title]").textContent()).toBe("Verifiable Edge Skills");
    expect(await page.locator('[data-state="valid"]').textContent()).toContain("This certificate is valid");
    const record = await api<{ credential: { jwt: string } }>("GET", `/api/progress/certificates/${certificateId}`);
    expect(await page.locator("[data-credential]").inputValue()).toBe(record.body.credential.jwt);
    expect(await page.getByRole("link", { name: /\/\.well-known\/jwks\.json$/ }).getAttribute("href")).toBe(
      "/.well-known/jwks.json",
    );
    expect(await page.title()).toBe("Certificate: Verifiable Edge Skills — Edge Learning");
    await checkAccessibility(page);
    await screenshot(page, "public-certificate");
    expect(problems.consoleErrors).toEqual([]);
  });

  it("says clearly, and at once, that it was revoked, and why", async () => {
    const path = `/certificates/${certificateId}`;
    await visit(path);
    expect((await visit(path)).headers.get("x-site-cache")).toBe("hit");
    const revoked = await api("POST", `/api/progress/certificates/${certificateId}/revoke`, {
      token: (await admin("certificate-page-admin")).token,
      body: { reason: "Issued in error" },
    });
    expect(revoked.status).toBe(200);
    await expect.poll(async () => (await visit(path)).html.includes('data-revoked="true"'), ASYNC_EFFECTS).toBe(true);

    const { page } = await browser.newPage();
    await page.goto(`${gatewayUrl}${path}`);
    const alert = page.getByRole("alert");
    expect(await alert.textContent()).toContain("This certificate was revoked");
    expect(await alert.textContent()).toContain("Reason: Issued in error");
    expect(await page.locator('[data-state="valid"]').count()).toBe(0);
    expect(await page.locator('meta[name="robots"]').getAttribute("content")).toBe("noindex");
    await checkAccessibility(page);
  });

  it("is a 404 for an unknown or malformed id", async () => {
    expect((await visit(`/certificates/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await visit("/certificates/not-a-certificate")).status).toBe(404);
  });
});
