import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { inProcess, principal, recordingQueue } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";
import { PUBLIC_READ } from "../src/routes/cache-headers.ts";
import type { CourseView } from "../src/routes/schemas.ts";
import { draftCourse, publishedCourse } from "./in-process-authoring.ts";
import { localKv } from "./local-kv.ts";

/**
 * The catalog's search, filters, orders and paging (GET /api/courses), against the real schema and
 * a real local KV: words match as prefixes of words in the title or summary, whatever the case or
 * accents; every word must match; a search is ordered title matches first; the price range and
 * every filter narrow it; `sort=popular` orders by learners; cursors walk every order to its end.
 *
 * The routes project's database is shared by every test file, so each test searches for a word
 * only its own courses hold (`tag()`): the catalog around them may hold anything.
 */

const pool = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
let cache: Awaited<ReturnType<typeof localKv>>;
let courses: ReturnType<typeof inProcess>;
beforeAll(async () => {
  cache = await localKv();
  courses = inProcess(app, { EVENTS_QUEUE: recordingQueue(), CATALOG_CACHE: cache.kv });
});
afterAll(async () => {
  await pool.end();
  await cache?.dispose();
});

const author = principal("instructor");

interface CatalogAnswer {
  readonly items: CourseView[];
  readonly nextCursor: string | null;
}
type Answer = Partial<CatalogAnswer> & Partial<ProblemDetails>;
type Query = Record<string, string | number | undefined>;

/**
 * A word no other course has, of fixed length, so none is the prefix of another. Letters only:
 * the search folds every word to letters and digits anyway.
 */
const tag = () =>
  `t${uuidv7()
    .replaceAll("-", "")
    .slice(-12)
    .replace(/\d/g, (digit) => "ghijklmnop"[Number(digit)] ?? "")}`;

const catalog = (query: Query) => {
  const params = Object.entries(query).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]]));
  return courses.request<Answer>("GET", `/api/courses?${new URLSearchParams(params)}`);
};

/** The titles a query finds, in the order given (one page). */
async function titles(query: Query): Promise<string[]> {
  const answer = await catalog(query);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body.items ?? []).map((item) => item.title);
}

/** Every page of a query, following `nextCursor`: the titles in order. */
async function allPages(query: Query): Promise<{ titles: string[]; pages: number }> {
  const found: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const answer = await catalog({ ...query, ...(cursor && { cursor }) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    found.push(...(answer.body.items ?? []).map((item) => item.title));
    cursor = answer.body.nextCursor ?? null;
    pages += 1;
    expect(pages, "the cursor walks to an end").toBeLessThan(20);
  } while (cursor);
  return { titles: found, pages };
}

/** Published one after another, so newest first is the reverse of the order given. */
async function publishAll(fields: Record<string, unknown>[]): Promise<CourseView[]> {
  const published: CourseView[] = [];
  for (const each of fields) published.push(await publishedCourse(courses, author, each));
  return published;
}

const fieldPaths = (body: Answer) => (body.errors ?? []).map((error) => error.path);

describe("search by word prefix", () => {
  it("finds a word by its start: postgres finds PostgreSQL; the middle or end of a word does not match", async () => {
    const word = tag();
    await publishAll([{ title: `PostgreSQL for ${word}` }]);
    for (const q of [
      `postgres ${word}`,
      `Postgre ${word}`,
      `p ${word}`,
      `POSTGRESQL ${word}`,
      word,
      word.slice(0, 8),
    ]) {
      expect(await titles({ q }), q).toContain(`PostgreSQL for ${word}`);
    }
    for (const q of [`gres ${word}`, `sql ${word}`, `postgresqlx ${word}`]) expect(await titles({ q }), q).toEqual([]);
  });

  it("ignores accents and case both ways: cafe finds Café, Über finds uber, STRASSE finds Straße", async () => {
    const word = tag();
    await publishAll([
      { title: `Café crème ${word}` },
      { title: `uber naive ${word}` },
      { title: `Straße ${word}`, summary: "Façades of Łódź" },
    ]);
    expect(await titles({ q: `cafe ${word}` })).toEqual([`Café crème ${word}`]);
    expect(await titles({ q: `CAFÉ CRÈME ${word}` })).toEqual([`Café crème ${word}`]);
    expect(await titles({ q: `Über naïve ${word}` })).toEqual([`uber naive ${word}`]);
    expect(await titles({ q: `strasse ${word}` })).toEqual([`Straße ${word}`]);
    expect(await titles({ q: `facades lodz ${word}` })).toEqual([`Straße ${word}`]);
  });

  it("needs every word, each as a prefix, in the title or the summary", async () => {
    const word = tag();
    await publishAll([
      { title: `Alpha beta ${word}`, summary: "Learn." },
      { title: `Alpha gamma ${word}`, summary: "With a delta." },
    ]);
    expect((await titles({ q: `alpha ${word}` })).sort()).toEqual([`Alpha beta ${word}`, `Alpha gamma ${word}`]);
    expect(await titles({ q: `alp bet ${word}` })).toEqual([`Alpha beta ${word}`]);
    expect(await titles({ q: `alpha delt ${word}` })).toEqual([`Alpha gamma ${word}`]);
    expect(await titles({ q: `alpha beta delta ${word}` })).toEqual([]);
    // Punctuation separates words, on both sides.
    expect(await titles({ q: `alpha-gamma, "${word}"!` })).toEqual([`Alpha gamma ${word}`]);
  });

  it("answers an empty page, not an error, when nothing matches", async () => {
    const answer = await catalog({ q: `${tag()} nothing` });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ items: [], nextCursor: null });
    expect(answer.headers.get("cache-control")).toBe(PUBLIC_READ);
  });

  it("finds only published courses: not a draft, not an archived course", async () => {
    const word = tag();
    await draftCourse(courses, author, { title: `Draft ${word}` });
    const [archived] = await publishAll([{ title: `Archived ${word}` }, { title: `Live ${word}` }]);
    const refused = await courses.request("POST", `/api/courses/${archived?.id}/archive`, { as: author });
    expect(refused.status).toBe(200);
    expect(await titles({ q: word })).toEqual([`Live ${word}`]);
  });

  it("sees a course's new title at once, and no longer finds it by the old one", async () => {
    const word = tag();
    const [course] = await publishAll([{ title: `Kubernetes ${word}` }]);
    expect(await titles({ q: `kube ${word}` })).toEqual([`Kubernetes ${word}`]);
    const renamed = await courses.request("PATCH", `/api/courses/${course?.id}`, {
      as: author,
      body: { title: `Nomad ${word}`, summary: "Schedulers, in Zürich" },
    });
    expect(renamed.status).toBe(200);
    expect(await titles({ q: `kube ${word}` })).toEqual([]);
    expect(await titles({ q: `noma zurich ${word}` })).toEqual([`Nomad ${word}`]);
  });

  it("refuses a q with no letter or digit, and one too long, naming query.q", async () => {
    for (const q of ["!!!", "- -", "🎉", "x".repeat(101)]) {
      const refused = await catalog({ q });
      expect(refused.status, q).toBe(400);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(fieldPaths(refused.body), q).toEqual(["query.q"]);
    }
  });
});

describe("the order of a search", () => {
  it("is title matches first, then summary-only ones, newest first within each; sort=newest ignores where it matched", async () => {
    const word = tag();
    await publishAll([
      { title: `Title one ${word}` },
      { title: "Summary one", summary: `About ${word}` },
      { title: `Title two ${word}` },
      { title: "Summary two", summary: `About ${word} too` },
    ]);
    const byRelevance = ["Title two", "Title one", "Summary two", "Summary one"].map((t) =>
      t.startsWith("Title") ? `${t} ${word}` : t,
    );
    expect(await titles({ q: word })).toEqual(byRelevance);
    expect(await titles({ q: word, sort: "relevance" })).toEqual(byRelevance);
    expect(await titles({ q: word, sort: "newest" })).toEqual([
      "Summary two",
      `Title two ${word}`,
      "Summary one",
      `Title one ${word}`,
    ]);
  });

  it("counts a title match only when every word is in the title", async () => {
    const word = tag();
    await publishAll([
      { title: `Rust ${word}`, summary: "Ownership and borrowing" },
      { title: `Rust ownership ${word}`, summary: "Learn." },
    ]);
    expect(await titles({ q: `rust owner ${word}` })).toEqual([`Rust ownership ${word}`, `Rust ${word}`]);
  });
});

describe("paging a search", () => {
  it("walks every match once, in order, page by page, in each order", async () => {
    const word = tag();
    const fields = Array.from({ length: 7 }, (_, i) =>
      i % 3 === 0 ? { title: `Summary match ${i}`, summary: `On ${word}` } : { title: `Title match ${i} ${word}` },
    );
    await publishAll(fields);
    const newestFirst = fields.map((f) => f.title).reverse();
    const titleFirst = [
      ...newestFirst.filter((t) => t.startsWith("Title")),
      ...newestFirst.filter((t) => t.startsWith("Summary")),
    ];
    for (const limit of [1, 2, 3, 7]) {
      const relevance = await allPages({ q: word, limit });
      expect(relevance.titles, `relevance, ${limit} a page`).toEqual(titleFirst);
      // The last page says it is the last: no empty page after it.
      expect(relevance.pages).toBe(Math.ceil(7 / limit));
      expect((await allPages({ q: word, limit, sort: "newest" })).titles, `newest, ${limit} a page`).toEqual(
        newestFirst,
      );
    }
  });

  it("stays correct when a course is published between two pages: nothing skipped, nothing twice", async () => {
    const word = tag();
    await publishAll([{ title: `First ${word}` }, { title: `Second ${word}` }, { title: `Third ${word}` }]);
    const first = await catalog({ q: word, limit: 2 });
    expect(first.body.items?.map((item) => item.title)).toEqual([`Third ${word}`, `Second ${word}`]);
    await publishAll([{ title: `Fourth ${word}` }]);
    const second = await catalog({ q: word, limit: 2, cursor: first.body.nextCursor ?? "" });
    expect(second.body.items?.map((item) => item.title)).toEqual([`First ${word}`]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("refuses a cursor given out for another order, or made up, naming query.cursor", async () => {
    const word = tag();
    await publishAll([{ title: `One ${word}` }, { title: `Two ${word}` }]);
    const relevance = await catalog({ q: word, limit: 1 });
    const cursor = relevance.body.nextCursor ?? "";
    expect(cursor).not.toBe("");
    for (const query of [
      { q: word, limit: 1, sort: "newest", cursor },
      { q: word, limit: 1, sort: "popular", cursor },
      { limit: 1, cursor },
      { q: word, cursor: "r1.not-a-cursor" },
      { q: word, cursor: "p99999999999.AAAA" },
    ]) {
      const refused = await catalog(query);
      expect(refused.status, JSON.stringify(query)).toBe(400);
      expect(fieldPaths(refused.body)).toEqual(["query.cursor"]);
    }
  });
});

describe("filters", () => {
  const word = tag();
  beforeAll(async () => {
    await publishAll([
      { title: `Free English beginner ${word}`, language: "en", level: "beginner", price: null },
      { title: `German advanced 19 EUR ${word}`, language: "de", level: "advanced", price: eur(1900) },
      { title: `English intermediate 49 EUR ${word}`, language: "en", level: "intermediate", price: eur(4900) },
      { title: `English beginner 25 USD ${word}`, language: "en", level: "beginner", price: usd(2500) },
    ]);
  });
  function eur(amountMinor: number) {
    return { amountMinor, currency: "EUR" };
  }
  function usd(amountMinor: number) {
    return { amountMinor, currency: "USD" };
  }
  const found = async (query: Query) =>
    (await titles({ q: word, ...query })).map((title) => title.replace(` ${word}`, "")).sort();

  it("by level, language, free or paid, each and together", async () => {
    expect(await found({ level: "beginner" })).toEqual(["English beginner 25 USD", "Free English beginner"]);
    expect(await found({ language: "de" })).toEqual(["German advanced 19 EUR"]);
    expect(await found({ price: "free" })).toEqual(["Free English beginner"]);
    expect(await found({ price: "paid" })).toEqual([
      "English beginner 25 USD",
      "English intermediate 49 EUR",
      "German advanced 19 EUR",
    ]);
    expect(await found({ language: "en", level: "beginner", price: "paid" })).toEqual(["English beginner 25 USD"]);
    expect(await found({ language: "fr" })).toEqual([]);
  });

  it("by price range in a currency, both ends included; a free course costs 0, unless price=paid", async () => {
    expect(await found({ currency: "EUR", maxPrice: 2000 })).toEqual([
      "Free English beginner",
      "German advanced 19 EUR",
    ]);
    expect(await found({ currency: "EUR", maxPrice: 2000, price: "paid" })).toEqual(["German advanced 19 EUR"]);
    expect(await found({ currency: "EUR", minPrice: 2000 })).toEqual(["English intermediate 49 EUR"]);
    expect(await found({ currency: "EUR", minPrice: 1900, maxPrice: 1900 })).toEqual(["German advanced 19 EUR"]);
    expect(await found({ currency: "EUR", minPrice: 1901, maxPrice: 4899 })).toEqual([]);
    expect(await found({ currency: "EUR", minPrice: 0, maxPrice: 0 })).toEqual(["Free English beginner"]);
    expect(await found({ currency: "USD" })).toEqual(["English beginner 25 USD", "Free English beginner"]);
    expect(await found({ currency: "USD", minPrice: 1, level: "beginner" })).toEqual(["English beginner 25 USD"]);
  });

  it.each([
    ["minPrice above maxPrice", { currency: "EUR", minPrice: 2000, maxPrice: 1000 }, ["query.minPrice"]],
    ["a negative minPrice", { currency: "EUR", minPrice: -1 }, ["query.minPrice"]],
    ["a negative maxPrice", { currency: "EUR", maxPrice: -100 }, ["query.maxPrice"]],
    ["a fractional price", { currency: "EUR", maxPrice: 19.5 }, ["query.maxPrice"]],
    ["a price that is not a number", { currency: "EUR", minPrice: "cheap" }, ["query.minPrice"]],
    ["an empty price (not read as 0)", { currency: "EUR", minPrice: "" }, ["query.minPrice"]],
    ["a price in exponent form", { currency: "EUR", maxPrice: "1e3" }, ["query.maxPrice"]],
    ["a price above any chargeable one", { currency: "EUR", maxPrice: 100_000_000 }, ["query.maxPrice"]],
    ["a range without a currency", { minPrice: 100 }, ["query.currency"]],
    ["a currency in lower case", { currency: "eur", maxPrice: 100 }, ["query.currency"]],
    ["a currency we do not charge in", { currency: "XTS", maxPrice: 100 }, ["query.currency"]],
    ["price=free with a range", { price: "free", currency: "EUR", maxPrice: 100 }, ["query.price"]],
    ["price=free with a currency", { price: "free", currency: "EUR" }, ["query.price"]],
    ["an unknown price kind", { price: "cheap" }, ["query.price"]],
    ["an unknown level", { level: "expert" }, ["query.level"]],
    ["a language that is no tag", { language: "English!" }, ["query.language"]],
    ["an unknown order", { sort: "random" }, ["query.sort"]],
    ["a limit of 0", { limit: 0 }, ["query.limit"]],
    ["a limit above 50", { limit: 51 }, ["query.limit"]],
  ])("refuses %s with 400 naming the field", async (_, query, paths) => {
    const refused = await catalog(query);
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body.type).toBe("/problems/validation-failed");
    expect(fieldPaths(refused.body)).toEqual(paths);
  });

  it("names every wrong field at once, and every wrong combination once the fields are right", async () => {
    const fields = await catalog({ level: "expert", language: "English!", limit: 0 });
    expect(fieldPaths(fields.body).sort()).toEqual(["query.language", "query.level", "query.limit"]);
    const combinations = await catalog({ minPrice: 500, maxPrice: 100 });
    expect(fieldPaths(combinations.body).sort()).toEqual(["query.currency", "query.minPrice"]);
  });
});

describe("sort=popular", () => {
  /** Grants written as the event handlers write them; a revoked one, and a second grant of one learner, count nothing. */
  async function grant(courseId: string, grants: { userId?: string; revoked?: boolean; via?: string }[]) {
    for (const each of grants) {
      await pool.query(
        `insert into courses.enrollments (id, user_id, course_id, via, reference, revoked_at)
         values ($1, $2, $3, $4::courses.access_via, $5, $6)`,
        [
          uuidv7(),
          each.userId ?? uuidv7(),
          courseId,
          each.via ?? "integrator",
          uuidv7(),
          each.revoked ? new Date() : null,
        ],
      );
    }
  }

  it("orders by learners with an active grant, each counted once, then newest first; pages walk it", async () => {
    const word = tag();
    const [none, three, one, two, alsoNone] = await publishAll(
      ["No learners", "Three learners", "One learner", "Two learners", "No learners either"].map((title) => ({
        title: `${title} ${word}`,
      })),
    );
    await grant(three?.id ?? "", [{}, {}, {}]);
    await grant(one?.id ?? "", [{}, { revoked: true }, { revoked: true }]);
    const twice = uuidv7();
    await grant(two?.id ?? "", [{ userId: twice }, { userId: twice, via: "purchase" }, {}]);
    const expected = [three, two, one, alsoNone, none].map((course) => course?.title);
    expect(await titles({ q: word, sort: "popular" })).toEqual(expected);
    for (const limit of [1, 2, 4]) {
      expect((await allPages({ q: word, sort: "popular", limit })).titles, `${limit} a page`).toEqual(expected);
    }
  });

  it("orders the whole catalog (the home page's popular courses), one page at a time, cached", async () => {
    const first = await catalog({ sort: "popular", limit: 3 });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("miss");
    expect((await catalog({ sort: "popular", limit: 3 })).headers.get("x-cache")).toBe("hit");
    expect(first.body.items?.length).toBeGreaterThan(0);
    if (first.body.nextCursor) {
      const next = await catalog({ sort: "popular", limit: 3, cursor: first.body.nextCursor });
      expect(next.status).toBe(200);
      const ids = new Set(first.body.items?.map((item) => item.id));
      for (const item of next.body.items ?? []) expect(ids.has(item.id)).toBe(false);
    }
  });
});
