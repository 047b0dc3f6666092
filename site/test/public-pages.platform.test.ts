import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { crc32, deflateSync } from "node:zlib";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadWhole } from "../../workers/courses/test/media-fixtures.ts";
import { api, gatewayUrl, newClientAddress, registerAndLogin } from "../../test/support/api.ts";
import { checkAccessibility, screenshot, useBrowser } from "../../test/support/browser.ts";
import { uniqueSlug, type CourseBody } from "../../test/support/courses.ts";
import { db } from "../../test/support/database.ts";
import { instructor, type Person } from "../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../test/support/polling.ts";
import { signInThroughSite } from "./site-forms.ts";

/**
 * The public pages in a real browser on the running stack: the home page, the catalog's search,
 * filters and paging, a course page with what search engines and link previews read, enrolling
 * from it, the site's page cache (a hit, and a refresh when the course changes), and a form posted
 * from another origin. Courses made here carry a word of their own (`tag`), so a search for it
 * lists only them, whatever else the shared stack holds.
 */
const browser = useBrowser();

const tag = `zq${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;
let author: Person;
/** Advanced, English, €49, with a cover. */
let advanced: CourseBody;
/** Intermediate, German, €19. */
let german: CourseBody;
/** Beginner, English, free; two lessons, the first a free preview. */
let free: CourseBody;
let freeLessons: string[];
/** The rest of the tagged courses: free beginners' courses, so the search for the tag has two pages. */
const fillers: CourseBody[] = [];

interface CourseOptions {
  title: string;
  summary?: string;
  level?: "beginner" | "intermediate" | "advanced";
  language?: string;
  price?: { amountMinor: number; currency: string } | null;
  lessons?: ReadonlyArray<{ title: string; isPreview?: boolean }>;
  publish?: boolean;
}

async function ok<T>(what: string, answer: Promise<{ status: number; body: T }>, status: number): Promise<T> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what} answered ${got}: ${JSON.stringify(body)}`);
  return body;
}

/** A course by `author`, with text lessons, published unless asked not to. Answers it and its lesson ids. */
async function makeCourse(options: CourseOptions): Promise<{ course: CourseBody; lessons: string[] }> {
  const token = author.token;
  const created = await ok(
    "create",
    api<CourseBody>("POST", "/api/courses", {
      token,
      body: {
        title: options.title,
        slug: uniqueSlug("pub"),
        summary: options.summary ?? `Learn it properly (${tag}).`,
        description: "## What you get\n\nReal *practice*, and a [reference](https://example.com/docs).",
        language: options.language ?? "en",
        level: options.level ?? "beginner",
        price: options.price ?? null,
      },
    }),
    201,
  );
  const lessons: string[] = [];
  for (const lesson of options.lessons ?? [{ title: "Getting going", isPreview: true }]) {
    const added = await ok(
      "add lesson",
      api<{ id: string }>("POST", `/api/courses/${created.id}/lessons`, {
        token,
        body: {
          title: lesson.title,
          kind: "text",
          bodyMarkdown: `# ${lesson.title}`,
          isPreview: lesson.isPreview ?? false,
        },
      }),
      201,
    );
    lessons.push(added.id);
  }
  if (options.publish === false) return { course: created, lessons };
  const published = await ok("publish", api<CourseBody>("POST", `/api/courses/${created.id}/publish`, { token }), 200);
  return { course: published, lessons };
}

/** A small, valid PNG (a 32×18 gradient), so the browser shows the cover without a decoding error. */
function coverPng(): Uint8Array<ArrayBuffer> {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const width = 32;
  const height = 18;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) rows.set([x * 8, 80, 200 - y * 6], y * (width * 3 + 1) + 1 + x * 3);
  }
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return new Uint8Array(png);
}

/** Signs a learner in through the site's form and lands on `path`. */
async function signedInAt(email: string, path: string): Promise<Page> {
  const { page } = await browser.newPage();
  await signInThroughSite(page, email, path);
  return page;
}

/** The slugs of the course cards on the page, in order. */
const cardSlugs = (page: Page) =>
  page.locator("[data-course-card]").evaluateAll((cards) => cards.map((card) => card.getAttribute("data-course-card")));

interface Visit {
  readonly status: number;
  readonly headers: Headers;
  readonly html: string;
}

/** A page as a signed-out visitor's browser asks for it, without a browser: status, headers, HTML. */
async function visit(path: string, headers: Record<string, string> = {}): Promise<Visit> {
  const response = await fetch(`${gatewayUrl}${path}`, {
    headers: { "accept-language": "en", "cf-connecting-ip": newClientAddress(), ...headers },
    redirect: "manual",
  });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

beforeAll(async () => {
  author = await instructor("public-pages-author");
  ({ course: advanced } = await makeCourse({
    title: `Advanced Edge Caching ${tag}`,
    summary: `Keys, generations and stale answers (${tag}).`,
    level: "advanced",
    price: { amountMinor: 4900, currency: "EUR" },
    lessons: [
      { title: "Why caches lie", isPreview: true },
      { title: "Generations", isPreview: false },
    ],
    publish: false,
  }));
  await uploadWhole(
    author.token,
    advanced.id,
    { fileName: "cover.png", contentType: "image/png", bytes: coverPng(), purpose: "cover" },
    { purpose: "cover" },
  );
  advanced = await ok(
    "publish",
    api<CourseBody>("POST", `/api/courses/${advanced.id}/publish`, { token: author.token }),
    200,
  );
  ({ course: german } = await makeCourse({
    title: `Datenbanken verstehen ${tag}`,
    level: "intermediate",
    language: "de",
    price: { amountMinor: 1900, currency: "EUR" },
  }));
  ({ course: free, lessons: freeLessons } = await makeCourse({
    title: `Free Intro to HTTP ${tag}`,
    lessons: [
      { title: "Requests and answers", isPreview: true },
      { title: "Headers that matter", isPreview: false },
    ],
  }));
  for (let n = 1; n <= 11; n += 1) {
    fillers.push((await makeCourse({ title: `Filler course ${n} ${tag}` })).course);
  }
}, 180_000);

describe("the home page", () => {
  it("speaks to learners: a search box that leads to the catalog, new and popular courses, and why to learn here", async () => {
    const { page, problems } = await browser.newPage();
    const response = await page.goto(`${gatewayUrl}/`);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("Learn the skills");
    expect(await page.locator('[data-row="new"] [data-course-card]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-row="popular"] [data-course-card]').count()).toBeGreaterThan(0);
    expect(await page.getByRole("heading", { name: "Why learn here" }).count()).toBe(1);
    // Nothing for developers on the learners' front page.
    expect(await page.locator("main").textContent()).not.toMatch(/api\/health|Workers/);
    await checkAccessibility(page);
    await screenshot(page, "public-home");

    await page.getByRole("searchbox", { name: "Search the courses" }).fill("postgres");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(`${gatewayUrl}/courses?q=postgres`);
    expect(await cardSlugs(page)).toContain("postgres-for-app-developers");
    expect(problems.consoleErrors).toEqual([]);
  });

  it("is the same for every signed-out visitor, so it is shared, one copy per language", async () => {
    const english = await visit("/");
    expect(english.status).toBe(200);
    expect(english.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=10, stale-while-revalidate=60");
    expect(english.headers.get("vary")).toContain("Accept-Language");
    const german = await visit("/", { "accept-language": "de-DE,de;q=0.9" });
    expect(german.html).toContain("Neue Kurse");
    expect(german.html).not.toContain("New courses");
  });
});

describe("the catalog", () => {
  it("searches by the start of a word and whatever the accents: postgres finds PostgreSQL", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${gatewayUrl}/courses`);
    await page.getByRole("searchbox", { name: "Search" }).fill("postgres");
    await page.getByRole("button", { name: "Show courses" }).click();
    // The form's empty fields are dropped: one address per list.
    await page.waitForURL(`${gatewayUrl}/courses?q=postgres`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Results for “postgres”");
    expect(await cardSlugs(page)).toContain("postgres-for-app-developers");
    const card = page.locator('[data-course-card="postgres-for-app-developers"]');
    expect(await card.getByRole("link").getAttribute("href")).toBe("/courses/postgres-for-app-developers");
    expect(await card.locator("[data-price]").textContent()).toBe("Free");

    await page.goto(`${gatewayUrl}/courses?q=${encodeURIComponent(`DATENBÄNKEN ${tag}`)}`);
    expect(await cardSlugs(page)).toEqual([german.slug]);
    // Its price in the visitor's format: euros in English.
    expect(await page.locator(`[data-course-card="${german.slug}"] [data-price]`).textContent()).toBe("€19.00");
  });

  it("filters by level, language, free or paid and price range from the form, and keeps the search", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${gatewayUrl}/courses?q=${tag}`);
    const form = page.locator("[data-form=catalog-filters]");
    // Folded away until one is in use (a long form before the results on a phone).
    expect(await form.locator("[data-filters-panel]").getAttribute("open")).toBeNull();
    await form.getByText("Filters and order").click();
    await form.getByLabel("Level").selectOption("advanced");
    await page.getByRole("button", { name: "Show courses" }).click();
    await page.waitForURL(`${gatewayUrl}/courses?q=${tag}&level=advanced`);
    expect(await cardSlugs(page)).toEqual([advanced.slug]);
    expect(await form.locator("summary").textContent()).toContain("1 in use");

    await form.getByLabel("Level").selectOption("");
    await form.getByLabel("Language").selectOption("de");
    await page.getByRole("button", { name: "Show courses" }).click();
    await page.waitForURL(`${gatewayUrl}/courses?q=${tag}&language=de`);
    expect(await cardSlugs(page)).toEqual([german.slug]);

    await form.getByLabel("Language").selectOption("");
    await form.getByLabel("Paid").check();
    await page.getByRole("button", { name: "Show courses" }).click();
    await page.waitForURL(`${gatewayUrl}/courses?q=${tag}&price=paid`);
    expect(new Set(await cardSlugs(page))).toEqual(new Set([advanced.slug, german.slug]));

    await form.getByLabel("Any", { exact: true }).check();
    await form.getByLabel("From").fill("10");
    await form.getByLabel("To").fill("30");
    await form.getByLabel("Currency").selectOption("EUR");
    await page.getByRole("button", { name: "Show courses" }).click();
    await page.waitForURL(`${gatewayUrl}/courses?q=${tag}&min=10&max=30&currency=EUR`);
    expect(await cardSlugs(page)).toEqual([german.slug]);

    await page.goto(`${gatewayUrl}/courses?q=${tag}&price=free`);
    const freeOnes = await cardSlugs(page);
    expect(freeOnes).toContain(free.slug);
    expect(freeOnes).not.toContain(advanced.slug);
    expect(freeOnes).not.toContain(german.slug);
    await checkAccessibility(page);
    await screenshot(page, "public-catalog-filtered");
  });

  it("says what is wrong with a filter, beside the field, instead of a list", async () => {
    const { page } = await browser.newPage();
    const response = await page.goto(`${gatewayUrl}/courses?q=${tag}&min=50&max=10&currency=EUR`);
    expect(response?.status()).toBe(400);
    expect(await page.getByRole("alert").textContent()).toContain(
      "The lowest price must not be above the highest price.",
    );
    expect(await page.locator("#filter-min").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("[data-course-card]").count()).toBe(0);

    const words = await page.goto(`${gatewayUrl}/courses?q=${encodeURIComponent("!!!")}`);
    expect(words?.status()).toBe(400);
    expect(await page.getByRole("alert").textContent()).toContain("Type at least one letter or digit");
    expect(await page.locator("main").textContent()).not.toMatch(/query\.q|problem|\{"/);

    const nothing = await page.goto(`${gatewayUrl}/courses?q=${tag}nothingmatches`);
    expect(nothing?.status()).toBe(200);
    expect(await page.locator('[data-state="empty"]').textContent()).toContain("No course matches");
  });

  it("pages forward and back with the cursor, keeping the search in every link", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${gatewayUrl}/courses?q=${tag}&sort=newest`);
    const first = await cardSlugs(page);
    expect(first).toHaveLength(12);
    expect(await page.locator("[data-pager-link=previous]").count()).toBe(0);

    await page.locator("[data-pager-link=next]").click();
    await page.waitForURL(/cursor=/);
    const url = new URL(page.url());
    expect(url.searchParams.get("q")).toBe(tag);
    expect(url.searchParams.get("sort")).toBe("newest");
    const second = await cardSlugs(page);
    // Fourteen tagged courses: twelve, then the two oldest, none twice.
    expect(second).toHaveLength(2);
    expect(second.filter((slug) => first.includes(slug))).toEqual([]);
    expect(await page.locator("[data-pager-link=next]").count()).toBe(0);
    expect(await page.locator("[data-pager-page]").textContent()).toContain("Page 2");

    await page.locator("[data-pager-link=previous]").click();
    await page.waitForURL(`${gatewayUrl}/courses?q=${tag}&sort=newest`);
    expect(await cardSlugs(page)).toEqual(first);
  });
});

describe("a course page", () => {
  it("shows the course, its syllabus with playable previews, the instructor and the price, and sends a visitor to sign in to buy", async () => {
    const { page, problems } = await browser.newPage();
    const response = await page.goto(`${gatewayUrl}/courses/${advanced.slug}`);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(advanced.title);
    // The description is the API's sanitised HTML, not raw Markdown.
    expect(await page.locator("[data-description] h2").textContent()).toBe("What you get");
    expect(await page.locator("[data-description]").textContent()).not.toContain("##");
    expect(await page.locator("[data-instructor]").textContent()).toBe("Taught by User public-pages-author");
    const lessons = page.locator("[data-lesson]");
    expect(await lessons.count()).toBe(2);
    expect(await lessons.first().textContent()).toContain("Reading");
    const preview = page.locator("[data-preview-link]");
    expect(await preview.count()).toBe(1);
    const outline = await api<{ lessons: Array<{ id: string }> }>("GET", `/api/courses/${advanced.id}/outline`);
    expect(await preview.getAttribute("href")).toBe(`/learn/${advanced.slug}/${outline.body.lessons[0]?.id}`);
    // The cover is the uploaded image, and it loads.
    const cover = page.locator("article img").first();
    expect(await cover.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(32);

    await checkAccessibility(page);
    await screenshot(page, "public-course");

    await page.getByRole("link", { name: "Buy for €49.00" }).click();
    await page.waitForURL(`${gatewayUrl}/signin?returnTo=${encodeURIComponent(`/courses/${advanced.slug}`)}`);
    expect(problems.consoleErrors).toEqual([]);
  });

  it("tells search engines and link previews what it is: title, description, canonical, Open Graph and a schema.org Course", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${gatewayUrl}/courses/${advanced.slug}?utm_source=newsletter`);
    const origin = new URL(gatewayUrl).origin;
    const canonical = `${origin}/courses/${advanced.slug}`;
    expect(await page.title()).toBe(`${advanced.title} — Edge Learning`);
    const meta = (selector: string) => page.locator(selector).getAttribute("content");
    expect(await meta('meta[name="description"]')).toBe(advanced.summary);
    expect(await page.locator('link[rel="canonical"]').getAttribute("href")).toBe(canonical);
    expect(await meta('meta[property="og:title"]')).toBe(`${advanced.title} — Edge Learning`);
    expect(await meta('meta[property="og:description"]')).toBe(advanced.summary);
    expect(await meta('meta[property="og:url"]')).toBe(canonical);
    expect(await meta('meta[property="og:image"]')).toBe(`${origin}${advanced.coverImageUrl}`);
    expect(await meta('meta[property="og:type"]')).toBe("website");
    expect(await page.locator('meta[name="robots"]').count()).toBe(0);

    const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
    expect(blocks).toHaveLength(1);
    const course = JSON.parse(blocks[0] ?? "") as Record<string, unknown>;
    expect(course).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Course",
      url: canonical,
      name: advanced.title,
      description: advanced.summary,
      inLanguage: "en",
      educationalLevel: "Advanced",
      image: `${origin}${advanced.coverImageUrl}`,
      provider: { "@type": "Organization", name: "Edge Learning", url: origin },
      isAccessibleForFree: false,
      offers: [{ "@type": "Offer", category: "Paid", price: "49.00", priceCurrency: "EUR" }],
      hasCourseInstance: [
        {
          "@type": "CourseInstance",
          courseMode: "Online",
          instructor: { "@type": "Person", name: "User public-pages-author" },
        },
      ],
    });
  });

  it("keeps a title that tries to end the JSON-LD block inside it (still valid JSON, no markup, no script)", async () => {
    const sneaky = `Break </script><script>window.pwned=1</script><!-- ${tag}`;
    const { course } = await makeCourse({ title: sneaky });
    const { page } = await browser.newPage({ allowCspViolations: true });
    await page.goto(`${gatewayUrl}/courses/${course.slug}`);
    const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
    expect(blocks).toHaveLength(1);
    expect((JSON.parse(blocks[0] ?? "") as { name: string }).name).toBe(sneaky);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(sneaky);
  });

  it("is a 404 for an unknown slug, and for a draft unless its author is looking", async () => {
    const unknown = await visit(`/courses/no-such-course-${tag}`);
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain("Page not found");

    const { course: draft } = await makeCourse({ title: `Unfinished draft ${tag}`, publish: false });
    expect((await visit(`/courses/${draft.slug}`)).status).toBe(404);

    const someone = await registerAndLogin("public-pages-someone");
    const other = await signedInAt(someone.email, "/courses");
    expect((await other.goto(`${gatewayUrl}/courses/${draft.slug}`))?.status()).toBe(404);

    const { rows } = await db.query<{ email: string }>("select email from auth.accounts where id = $1", [
      author.userId,
    ]);
    const own = await signedInAt(rows[0]?.email ?? "", `/courses/${draft.slug}`);
    expect(await own.getByRole("heading", { level: 1 }).textContent()).toBe(draft.title);
    expect(await own.locator('[data-state="draft"]').textContent()).toContain("Draft");
    expect(await own.locator("[data-course-action]").getAttribute("data-course-action")).toBe("editor");
  });

  it("enrolls a signed-in learner in a free course and opens the first lesson; then offers to continue", async () => {
    const learner = await registerAndLogin("public-pages-enroll");
    const page = await signedInAt(learner.email, `/courses/${free.slug}`);
    const enrolled = page.waitForResponse(
      (answer) => answer.request().method() === "POST" && new URL(answer.url()).pathname === `/courses/${free.slug}`,
    );
    await page.getByRole("button", { name: "Enroll for free" }).click();
    expect((await enrolled).status()).toBe(303);
    await page.waitForURL(`${gatewayUrl}/learn/${free.slug}/${freeLessons[0]}`);

    const access = await api<{ access: string }>("GET", `/api/courses/${free.id}/lessons`, {
      token: learner.tokens.accessToken,
    });
    expect(access.body.access).toBe("full");
    await page.goto(`${gatewayUrl}/courses/${free.slug}`);
    const next = page.locator("[data-action=continue]");
    expect(await next.textContent()).toContain("Continue learning");
    expect(await next.getAttribute("href")).toBe(`/learn/${free.slug}/${freeLessons[0]}`);
    expect((await page.context().request.get(`${gatewayUrl}/courses/${free.slug}`)).headers()["cache-control"]).toBe(
      "private, no-store",
    );
  });
});

describe("the site's page cache", () => {
  it("serves a course page again from the cache, and refreshes it as soon as the course or its syllabus changes", async () => {
    const { course, lessons } = await makeCourse({ title: `Cached course ${tag}` });
    const path = `/courses/${course.slug}`;
    const first = await visit(path);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-site-cache")).toBe("miss");
    const again = await visit(path);
    expect(again.headers.get("x-site-cache")).toBe("hit");
    expect(again.html).toBe(first.html);
    // A kept page goes out with every header a rendered one has.
    expect(again.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(again.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=10, stale-while-revalidate=60");
    expect(again.headers.get("x-site-sources")).toBeNull();

    const renamed = `Renamed cached course ${tag}`;
    await ok(
      "rename",
      api("PATCH", `/api/courses/${course.id}`, { token: author.token, body: { title: renamed } }),
      200,
    );
    // Polled: the edit reaches the API's cache at once, and the site confirms a kept page every second.
    let refreshed: Visit | undefined;
    await expect
      .poll(async () => {
        const seen = await visit(path);
        if (seen.html.includes(renamed)) refreshed = seen;
        return refreshed !== undefined;
      }, ASYNC_EFFECTS)
      .toBe(true);
    expect(refreshed?.headers.get("x-site-cache")).toBe("miss");
    const after = await visit(path);
    expect(after.html).toContain(renamed);
    expect(after.html).not.toContain(`>${course.title}<`);
    expect(after.headers.get("x-site-cache")).toBe("hit");

    // A new lesson changes the syllabus (the outline read), not the course's own record.
    await ok(
      "add lesson",
      api("POST", `/api/courses/${course.id}/lessons`, {
        token: author.token,
        body: { title: `Brand new lesson ${tag}`, kind: "text", bodyMarkdown: "New." },
      }),
      201,
    );
    await expect
      .poll(async () => (await visit(path)).html.includes(`Brand new lesson ${tag}`), ASYNC_EFFECTS)
      .toBe(true);
    expect(lessons).toHaveLength(1);
  });

  it("refreshes the catalog's pages when a course is published, and keeps one copy per language", async () => {
    const path = `/courses?q=${tag}&level=intermediate`;
    const before = await visit(path);
    expect(before.status).toBe(200);
    expect((await visit(path)).headers.get("x-site-cache")).toBe("hit");
    const german = await visit(path, { "accept-language": "de" });
    expect(german.headers.get("x-site-cache")).toBe("miss");
    expect(german.html).toContain("Ergebnisse für");

    const { course } = await makeCourse({ title: `Late arrival ${tag}`, level: "intermediate" });
    await expect.poll(async () => (await visit(path)).html.includes(course.slug), ASYNC_EFFECTS).toBe(true);
    await expect
      .poll(async () => (await visit(path, { "accept-language": "de" })).html.includes(course.slug), ASYNC_EFFECTS)
      .toBe(true);
  });

  it("never keeps or serves a page for a signed-in visitor", async () => {
    const learner = await registerAndLogin("public-pages-cache-bypass");
    const cookie = `__Host-el_access=${learner.tokens.accessToken}; __Host-el_refresh=${learner.tokens.refreshToken}`;
    const path = `/courses/${german.slug}`;
    await visit(path);
    const signedIn = await visit(path, { cookie });
    expect(signedIn.headers.get("x-site-cache")).toBe("bypass");
    expect(signedIn.headers.get("cache-control")).toBe("private, no-store");
    expect(signedIn.html).toContain("data-signed-in-as");
    expect((await visit(path)).html).not.toContain("data-signed-in-as");
  });
});

describe("a form posted from another origin", () => {
  let evil: Server;
  let evilOrigin: string;

  beforeAll(async () => {
    // A page on another loopback origin (same site, other port: SameSite does not stop it, the Origin check must).
    evil = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(`<!doctype html><html lang="en"><title>Win a prize</title>
        <form method="post" action="${gatewayUrl}/courses/${free.slug}">
          <input type="hidden" name="intent" value="enroll">
          <button type="submit">Claim your prize</button>
        </form>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => evil.close(resolve));
  });

  it("is refused with a readable 403, and enrolls nobody", async () => {
    const learner = await registerAndLogin("public-pages-csrf");
    const page = await signedInAt(learner.email, "/courses");
    await page.goto(evilOrigin);
    const posted = page.waitForResponse(
      (answer) => answer.request().method() === "POST" && answer.request().resourceType() === "document",
    );
    await page.getByRole("button", { name: "Claim your prize" }).click();
    const answer = await posted;
    expect(answer.status()).toBe(403);
    expect(answer.headers()["content-type"]).toBe("application/problem+json");
    expect(((await answer.json()) as { detail: string }).detail).toMatch(/another site/);

    const access = await api<{ access: string }>("GET", `/api/courses/${free.id}/lessons`, {
      token: learner.tokens.accessToken,
    });
    expect(access.body.access).toBe("preview");
  });
});
