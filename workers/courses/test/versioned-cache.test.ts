import { describe, expect, it, vi } from "vitest";
import { cacheSlot, cached, moveOn, unversionedSlot, type CacheStore } from "../src/cache/versioned-cache.ts";

/**
 * The versioned cache's rules, on a store that keeps what it is given (the routes tests run the
 * same code against workerd's local KV): a reader never stores what it loaded under a version
 * newer than the one it read before loading, and another isolate's new version is noticed once
 * this isolate's one-second memory of the old one lapses.
 */
function memoryStore(): CacheStore {
  const values = new Map<string, string>();
  async function get(key: string): Promise<string | null>;
  async function get<T>(key: string, type: "json"): Promise<T | null>;
  async function get(key: string, type?: "json"): Promise<unknown> {
    const value = values.get(key);
    if (value === undefined) return null;
    return type === "json" ? JSON.parse(value) : value;
  }
  return {
    get,
    put: async (key, value) => {
      values.set(key, value);
    },
  };
}

let scopes = 0;
const newScope = () => `test-scope-${++scopes}`;

describe("the versioned cache", () => {
  it("loads once, then answers from the cache", async () => {
    const kv = memoryStore();
    const scope = newScope();
    let loads = 0;
    const load = async () => ({ n: ++loads });
    const writes: Promise<void>[] = [];
    expect(await cached(kv, scope, "entry", load, (write) => writes.push(write))).toEqual({
      value: { n: 1 },
      cache: "miss",
    });
    await Promise.all(writes);
    expect(await cached(kv, scope, "entry", load, (write) => writes.push(write))).toEqual({
      value: { n: 1 },
      cache: "hit",
    });
    expect(loads).toBe(1);
  });

  it("never files a value loaded before a change under the version the change created", async () => {
    const kv = memoryStore();
    const scope = newScope();
    const slot = await cacheSlot<string>(kv, scope, "page");
    // A write commits and moves the version on while the reader is still loading the old row.
    await moveOn(kv, scope);
    await slot.fill("loaded before the change");
    const after = await cacheSlot<string>(kv, scope, "page");
    expect(after.value).toBeUndefined();
  });

  it("sees this isolate's own change at once, another isolate's once its memory of the version lapses (a second)", async () => {
    const kv = memoryStore();
    const scope = newScope();
    const start = Date.now();
    await (await cacheSlot<string>(kv, scope, "page", start)).fill("first");
    expect((await cacheSlot<string>(kv, scope, "page", start)).value).toBe("first");

    // Another isolate moves the version: written straight to KV, this isolate's memory not told.
    await kv.put(`${scope}:generation`, "moved-elsewhere");
    expect((await cacheSlot<string>(kv, scope, "page", start + 999)).value).toBe("first");
    expect((await cacheSlot<string>(kv, scope, "page", start + 1_000)).value).toBeUndefined();

    // This isolate's own move: the next read misses at once.
    await (await cacheSlot<string>(kv, scope, "page", start + 1_000)).fill("second");
    await moveOn(kv, scope, start + 1_000);
    expect((await cacheSlot<string>(kv, scope, "page", start + 1_001)).value).toBeUndefined();
  });

  it("never takes a read down with it: when KV fails, the value is loaded and nothing is kept", async () => {
    const broken: CacheStore = {
      get: async () => {
        throw new Error("KV unavailable");
      },
      put: async () => {
        throw new Error("KV unavailable");
      },
    };
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const read = await cached(
        broken,
        newScope(),
        "entry",
        async () => "from PostgreSQL",
        (write) => void write,
      );
      expect(read).toEqual({ value: "from PostgreSQL", cache: "miss" });
      // Keeping fails quietly too (it runs after the answer); only moving a version on reports it.
      await expect((await unversionedSlot<string>(memoryStoreFailingPuts(), "key")).fill("x")).resolves.toBeUndefined();
      await expect(moveOn(broken, newScope())).rejects.toThrow("KV unavailable");
      expect(warnings).toHaveBeenCalled();
    } finally {
      warnings.mockRestore();
    }
  });
});

function memoryStoreFailingPuts(): CacheStore {
  const store = memoryStore();
  return {
    get: store.get,
    put: async () => {
      throw new Error("KV refused the write");
    },
  };
}
