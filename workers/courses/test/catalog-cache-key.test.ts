import { describe, expect, it } from "vitest";
import { catalogEntryName, POPULARITY_WINDOW_MS } from "../src/cache/catalog-cache.ts";
import { encodeCatalogCursor } from "../src/catalog-cursor.ts";
import { catalogRequest, type CatalogQuery } from "../src/catalog.ts";
import { catalogQuery } from "../src/routes/catalog.ts";

/**
 * The catalog cache keeps one page per distinct request: two requests may share an entry only if
 * they read the same page, so every query parameter must be part of the key.
 */
const now = Date.parse("2026-11-02T10:00:00.000Z");
const newestCursor = encodeCatalogCursor({
  order: "newest",
  publishedAt: "2026-03-01T12:34:56.789Z",
  id: "0192f0c4-7a3e-7d11-9c2b-3f4e5a6b7c8d",
});

/** A valid value for each of the route's query parameters, as the route would hand it on. */
const SAMPLES: Record<keyof typeof catalogQuery.shape, Partial<CatalogQuery>> = {
  cursor: { cursor: newestCursor },
  limit: { limit: 7 },
  language: { language: "de" },
  level: { level: "advanced" },
  price: { price: "paid" },
  currency: { currency: "EUR" },
  minPrice: { currency: "EUR", minPrice: 500 },
  maxPrice: { currency: "EUR", maxPrice: 900 },
  q: { q: "cafe" },
  sort: { sort: "popular" },
};

const nameOf = (query: Partial<CatalogQuery>, at = now) => {
  const full = { limit: 20, ...query };
  return catalogEntryName(catalogRequest(full), full.cursor, at);
};

describe("the catalog cache's entry names", () => {
  it.each(Object.entries(SAMPLES))("key on %s", (parameter, sample) => {
    const name = nameOf(sample);
    expect(name).toContain(`${parameter}=`);
    expect(name).not.toBe(nameOf({}));
  });

  it("cover every parameter the route takes (the samples above list them all)", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(catalogQuery.shape).sort());
  });

  it("differ for every value of a parameter", () => {
    expect(nameOf({ currency: "EUR", minPrice: 500 })).not.toBe(nameOf({ currency: "EUR", minPrice: 501 }));
    expect(nameOf({ currency: "EUR", maxPrice: 900 })).not.toBe(nameOf({ currency: "USD", maxPrice: 900 }));
    expect(nameOf({ q: "cafe" })).not.toBe(nameOf({ q: "cafes" }));
    expect(nameOf({ sort: "newest" })).not.toBe(nameOf({ sort: "popular" }));
    expect(nameOf({ q: "cafe", sort: "newest" })).not.toBe(nameOf({ q: "cafe" }));
  });

  it("are shared by requests that read the same page: words however written, the default order named or not", () => {
    expect(nameOf({ q: "Café  POSTGRES" })).toBe(nameOf({ q: "postgres cafe" }));
    expect(nameOf({ q: "cafe" })).toBe(nameOf({ q: "cafe", sort: "relevance" }));
    expect(nameOf({})).toBe(nameOf({ sort: "newest" }));
    // Nothing to rank by without words: relevance reads the newest-first page.
    expect(nameOf({ sort: "relevance" })).toBe(nameOf({}));
  });

  it("never match an entry from before the orders existed, whose names held no order", () => {
    expect(nameOf({ q: "postgres" })).not.toBe("limit=20&q=postgres");
    expect(nameOf({})).not.toBe("limit=20");
  });

  it("move the popular order to a new entry every window, and no other order", () => {
    const later = now + POPULARITY_WINDOW_MS;
    expect(nameOf({ sort: "popular" }, later)).not.toBe(nameOf({ sort: "popular" }));
    expect(nameOf({ sort: "popular" }, now + 1_000)).toBe(nameOf({ sort: "popular" }));
    expect(nameOf({ sort: "newest" }, later)).toBe(nameOf({ sort: "newest" }));
  });
});
