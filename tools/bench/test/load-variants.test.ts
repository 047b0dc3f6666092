import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { measureInterleaved, type Target } from "../src/load.ts";

// What each request carried, as the server saw it: the engines must send every variant once, in
// order, across rounds and in both engines. Counts only; no timing is asserted.
let server: Server;
let baseUrl: string;
const seen: { path: string; user: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? "", user: request.headers["x-user"] as string | undefined });
    // Even-numbered variants "hit", the rest "miss"; the plain path says nothing.
    const n = Number(/\/v(\d+)$/.exec(request.url ?? "")?.[1] ?? Number.NaN);
    if (Number.isFinite(n)) response.setHeader("x-cache", n % 2 === 0 ? "hit" : "miss");
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  seen.length = 0;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const variants = (n: number) => Array.from({ length: n }, (_, i) => `/v${i}`);
const target = (extra: Partial<Target>): Target => ({
  id: "test/variants",
  route: "direct",
  baseUrl,
  path: "/plain",
  expectedStatuses: [200],
  ...extra,
});
const quiet = () => {};

describe("per-request variants", () => {
  it("go on where the previous round stopped instead of starting again (paced)", async () => {
    const [row] = await measureInterleaved(
      "test",
      [target({ pathVariants: variants(100) })],
      { rate: 20, connections: 2, schedule: { rounds: 2, secondsPerRound: 0.5 } },
      quiet,
    );
    expect(row?.responses).toBe(20);
    expect(new Set(seen.map((s) => s.path)).size).toBe(20);
    expect([...seen.map((s) => s.path)].sort()).toEqual(variants(20).sort());
  });

  it("are sent flat out too, exactly `amount` requests a round, with the header variants in turn", async () => {
    const [row] = await measureInterleaved(
      "test",
      [
        target({
          pathVariants: variants(60),
          headerVariants: [{ "x-user": "a" }, { "x-user": "b" }, { "x-user": "c" }],
        }),
      ],
      { rate: null, amount: 30, connections: 3, schedule: { rounds: 2, secondsPerRound: 5 } },
      quiet,
    );
    expect(row?.responses).toBe(60);
    expect(new Set(seen.map((s) => s.path)).size).toBe(60);
    const users = seen.map((s) => s.user);
    expect(users.filter((u) => u === "a")).toHaveLength(20);
    expect(users.filter((u) => u === "b")).toHaveLength(20);
    expect(users.filter((u) => u === "c")).toHaveLength(20);
  });

  it("counts the values of an observed response header, and its absence", async () => {
    const [paced, flat] = await measureInterleaved(
      "test",
      [
        target({ id: "paced", pathVariants: variants(10), observeHeader: "x-cache" }),
        target({ id: "plain", observeHeader: "X-Cache" }),
      ],
      { rate: 20, connections: 2, schedule: { rounds: 1, secondsPerRound: 0.5 } },
      quiet,
    );
    expect(paced?.observedHeader).toEqual({ name: "x-cache", counts: { hit: 5, miss: 5 } });
    expect(flat?.observedHeader).toEqual({ name: "X-Cache", counts: { "(none)": 10 } });
  });

  it("runs the load in a child process when asked, with the same counts", async () => {
    const [row] = await measureInterleaved(
      "test",
      [target({ pathVariants: variants(40), observeHeader: "x-cache" })],
      { rate: null, amount: 40, connections: 2, isolation: "process", schedule: { rounds: 1, secondsPerRound: 5 } },
      quiet,
    );
    expect(row).toMatchObject({ responses: 40, unexpectedStatuses: 0, transportErrors: 0 });
    expect(row?.observedHeader?.counts).toEqual({ hit: 20, miss: 20 });
    expect(new Set(seen.map((s) => s.path)).size).toBe(40);
  });
});
