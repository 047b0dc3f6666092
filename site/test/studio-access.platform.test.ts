import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, gatewayUrl, newClientAddress } from "../../test/support/api.ts";
import { checkAccessibility, useBrowser } from "../../test/support/browser.ts";
import { db } from "../../test/support/database.ts";
import { signInThroughSite } from "./site-forms.ts";
import {
  accountWith,
  addSection,
  addTextLesson,
  apiCourse,
  lessonOrder,
  postForm,
  readContent,
  readCourse,
  type Account,
  type StudioCourseBody,
} from "./studio-support.ts";

/**
 * Who may use the studio, in Chromium on the running stack: a signed-out visitor is sent to sign
 * in; a learner is refused the studio (403 page, and every form post, the preview endpoint too);
 * another instructor is refused the author's course — its pages (403, or 404 for a draft they may
 * not even see) and every one of its forms — and nothing changes at the API; an admin may edit it.
 */
const browser = useBrowser();

let author: Account;
let learner: Account;
let otherInstructor: Account;
let published: StudioCourseBody;
let draft: StudioCourseBody;
let lessonId: string;
let sectionId: string;

beforeAll(async () => {
  [author, learner, otherInstructor] = await Promise.all([
    accountWith(["instructor"], "studio-access-author"),
    accountWith(["learner"], "studio-access-learner"),
    accountWith(["instructor"], "studio-access-other"),
  ]);
  published = await apiCourse(author, { title: "Author's published course" });
  sectionId = await addSection(author, published.id, "Part one");
  lessonId = await addTextLesson(author, published.id, "First", sectionId);
  await addTextLesson(author, published.id, "Second", sectionId);
  expect((await api("POST", `/api/courses/${published.id}/publish`, { token: author.token })).status).toBe(200);
  published = await readCourse(author, published.id);
  draft = await apiCourse(author, { title: "Author's draft" });
}, 60_000);
afterAll(() => db.end());

const coursePages = (id: string) => [
  `/studio/courses/${id}`,
  `/studio/courses/${id}/outline`,
  `/studio/courses/${id}/publish`,
  `/studio/courses/${id}/analytics`,
  `/studio/courses/${id}/lessons/new`,
  `/studio/courses/${id}/lessons/${lessonId}`,
];

/** Every form of the author's course, as a page would post it, each one that would change something. */
const courseForms = (id: string): [string, Record<string, string>][] => [
  [`/studio/courses/${id}`, { intent: "save", title: "Taken over", summary: "x", description: "", amount: "" }],
  [`/studio/courses/${id}/outline`, { intent: "add-section", title: "Intruder's section" }],
  [`/studio/courses/${id}/outline`, { intent: "rename-section", id: sectionId, title: "Renamed" }],
  [`/studio/courses/${id}/outline`, { intent: "delete-section", id: sectionId }],
  [`/studio/courses/${id}/outline`, { intent: "move-lesson", id: lessonId, direction: "down" }],
  [`/studio/courses/${id}/outline`, { intent: "set-preview", id: lessonId, isPreview: "true" }],
  [`/studio/courses/${id}/outline`, { intent: "delete-lesson", id: lessonId }],
  [`/studio/courses/${id}/lessons/new`, { intent: "create", title: "Intruder's lesson", kind: "text", body: "x" }],
  [`/studio/courses/${id}/lessons/${lessonId}`, { intent: "save", title: "Hijacked", body: "x" }],
  [`/studio/courses/${id}/lessons/${lessonId}`, { intent: "delete-lesson" }],
  [`/studio/courses/${id}/publish`, { intent: "archive", id }],
];

/** What the author's course is, to compare before and after someone else's attempts. */
async function snapshot() {
  const course = await readCourse(author, published.id);
  const content = await readContent(author, published.id);
  return {
    course: { title: course.title, summary: course.summary, status: course.status },
    sections: content.sections.map(({ id, title }) => ({ id, title })),
    lessons: content.lessons.map(({ id, title, isPreview }) => ({ id, title, isPreview })),
    order: await lessonOrder(author, published.id),
  };
}

describe("signed out", () => {
  it("is sent to sign in, and back to the studio page it asked for", async () => {
    for (const path of ["/studio", "/studio/courses/new", ...coursePages(published.id)]) {
      const response = await fetch(`${gatewayUrl}${path}`, {
        redirect: "manual",
        headers: { "cf-connecting-ip": newClientAddress() },
      });
      expect(response.status, path).toBe(303);
      const to = new URL(response.headers.get("location") ?? "", gatewayUrl);
      expect(to.pathname, path).toBe("/signin");
      expect(to.searchParams.get("returnTo"), path).toBe(path);
    }
  });

  it("cannot use the preview endpoint", async () => {
    const response = await fetch(`${gatewayUrl}/studio/preview-markdown`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: new URL(gatewayUrl).origin,
        "cf-connecting-ip": newClientAddress(),
      },
      body: JSON.stringify({ markdown: "**x**" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("a learner", () => {
  it("is refused every studio page with a 403 page that says why, and has no Studio link", async () => {
    const { page } = await browser.newPage();
    await signInThroughSite(page, learner.email, "/studio");
    expect(await page.locator("[data-studio-refusal=forbidden]").count()).toBe(1);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("The studio is for instructors");
    expect(await page.getByRole("link", { name: "Studio", exact: true }).count()).toBe(0);
    await checkAccessibility(page);
    for (const path of ["/studio", "/studio/courses/new", ...coursePages(published.id), ...coursePages(draft.id)]) {
      const answer = await page.goto(`${gatewayUrl}${path}`);
      expect(answer?.status(), path).toBe(403);
      expect(await page.locator("[data-studio-refusal=forbidden]").count(), path).toBe(1);
      expect(await page.locator("form[data-form]").count(), path).toBe(0);
    }
  });

  it("is refused every form post and the preview, and nothing changes", async () => {
    const { page } = await browser.newPage();
    await signInThroughSite(page, learner.email, "/learning");
    const before = await snapshot();
    for (const [path, form] of [
      ...courseForms(published.id),
      [`/studio/courses/new`, { intent: "create", title: "Learner's course", amount: "" }] as [
        string,
        Record<string, string>,
      ],
    ]) {
      const answer = await postForm(page, path, form);
      expect(answer.status, `${path} ${form.intent}`).toBe(403);
      expect(answer.location).toBeNull();
    }
    expect(await snapshot()).toEqual(before);
    const mine = await api<{ items: unknown[] }>("GET", "/api/courses/mine", { token: author.token });
    expect(mine.body.items.some((item) => (item as { title: string }).title === "Learner's course")).toBe(false);

    const preview = await page.request.post(`${gatewayUrl}/studio/preview-markdown`, {
      data: { markdown: "**x**" },
      headers: { origin: new URL(gatewayUrl).origin },
    });
    expect(preview.status()).toBe(403);
  });
});

describe("another instructor", () => {
  it("is refused the author's course pages: 403 for a published course, 404 for a draft", async () => {
    const { page } = await browser.newPage();
    await signInThroughSite(page, otherInstructor.email, "/studio");
    // Their own studio works, and does not list the author's courses.
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Your courses");
    expect(await page.locator(`[data-course-id="${published.id}"]`).count()).toBe(0);
    for (const path of coursePages(published.id)) {
      const answer = await page.goto(`${gatewayUrl}${path}`);
      expect(answer?.status(), path).toBe(403);
      expect(await page.locator("[data-studio-refusal=not-yours]").count(), path).toBe(1);
      expect(await page.locator("form[data-form]").count(), path).toBe(0);
    }
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("This course is not yours to edit");
    await checkAccessibility(page);
    for (const path of coursePages(draft.id)) {
      const answer = await page.goto(`${gatewayUrl}${path}`);
      expect(answer?.status(), path).toBe(404);
      expect(await page.locator("[data-studio-refusal=not-found]").count(), path).toBe(1);
    }
  });

  it("is refused every form post on the author's course, and nothing changes", async () => {
    const { page } = await browser.newPage();
    await signInThroughSite(page, otherInstructor.email, "/studio");
    const before = await snapshot();
    for (const [path, form] of courseForms(published.id)) {
      const answer = await postForm(page, path, form);
      expect(answer.status, `${path} ${form.intent}`).toBe(403);
      expect(answer.html, path).toContain('data-studio-refusal="not-yours"');
    }
    // Publishing the author's draft: the draft is not even visible to them.
    const publish = await postForm(page, `/studio/courses/${draft.id}/publish`, { intent: "publish" });
    expect(publish.status).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect((await readCourse(author, draft.id)).status).toBe("draft");
  });

  it("is refused by the API itself too: the page is no authorization", async () => {
    // The same writes straight at the API with the other instructor's token.
    const attempts = [
      api("PATCH", `/api/courses/${published.id}`, { token: otherInstructor.token, body: { title: "Taken over" } }),
      api("POST", `/api/courses/${published.id}/sections`, { token: otherInstructor.token, body: { title: "x" } }),
      api("PUT", `/api/courses/${published.id}/lessons/order`, {
        token: otherInstructor.token,
        body: { lessonIds: [...(await readContent(author, published.id)).lessons].reverse().map((l) => l.id) },
      }),
      api("POST", `/api/courses/${published.id}/archive`, { token: otherInstructor.token }),
    ];
    for (const answer of await Promise.all(attempts)) expect(answer.status).toBe(403);
    expect((await readCourse(author, published.id)).title).toBe("Author's published course");
  });
});

describe("an admin", () => {
  it("may open and edit any author's course", async () => {
    const admin = await accountWith(["admin"], "studio-access-admin");
    const { page } = await browser.newPage();
    await signInThroughSite(page, admin.email, `/studio/courses/${draft.id}`);
    expect(await page.getByLabel("Title").inputValue()).toBe("Author's draft");
    const saved = await postForm(page, `/studio/courses/${draft.id}`, {
      intent: "save",
      title: "Author's draft, edited by an admin",
      slug: draft.slug,
      summary: draft.summary,
      description: "",
      language: "en",
      level: "beginner",
      amount: "",
      currency: "EUR",
    });
    expect(saved.status).toBe(303);
    expect((await readCourse(author, draft.id)).title).toBe("Author's draft, edited by an admin");
  });
});
