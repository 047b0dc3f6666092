import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measureInterleaved, type Target } from "../src/load.ts";

// Counts and statuses only: the bench never asserts how fast anything was.
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    response.statusCode = request.url === "/missing" ? 404 : 200;
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const target = (path: string, expectedStatuses: number[]): Target => ({
  id: `test${path}`,
  route: "direct",
  baseUrl,
  path,
  expectedStatuses,
});
const quiet = () => {};

describe("load runs", () => {
  it("sends exactly rate × duration requests when paced, and counts an expected 404 as no error", async () => {
    const [row] = await measureInterleaved(
      "test",
      [target("/missing", [404])],
      { rate: 40, connections: 2, schedule: { rounds: 2, secondsPerRound: 0.5 } },
      quiet,
    );
    expect(row).toMatchObject({
      responses: 40,
      rounds: 2,
      statusCounts: { "404": 40 },
      unexpectedStatuses: 0,
      transportErrors: 0,
    });
    expect(row?.roundP50sMs).toHaveLength(2);
  });

  it("counts every response with a status the scenario did not expect", async () => {
    const [row] = await measureInterleaved(
      "test",
      [target("/missing", [200])],
      { rate: 20, connections: 2, schedule: { rounds: 1, secondsPerRound: 0.5 } },
      quiet,
    );
    expect(row).toMatchObject({ responses: 10, unexpectedStatuses: 10 });
  });

  it("runs flat out with autocannon and keeps one latency per response", async () => {
    const [ok, missing] = await measureInterleaved(
      "test",
      [target("/", [200]), target("/missing", [404])],
      { rate: null, connections: 2, schedule: { rounds: 1, secondsPerRound: 1 } },
      quiet,
    );
    for (const row of [ok, missing]) {
      expect(row?.responses).toBeGreaterThan(0);
      expect(row?.unexpectedStatuses).toBe(0);
      expect(row?.transportErrors).toBe(0);
      expect(Number.isFinite(row?.latencyMs.p99)).toBe(true);
    }
    expect(Object.keys(missing?.statusCounts ?? {})).toEqual(["404"]);
  });

  it("counts a refused connection as an error, not as a response", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const [row] = await measureInterleaved(
      "test",
      [{ ...target("/", [200]), baseUrl: `http://127.0.0.1:${port}` }],
      { rate: 20, connections: 1, schedule: { rounds: 1, secondsPerRound: 0.25 } },
      quiet,
    );
    expect(row).toMatchObject({ responses: 0, transportErrors: 5 });
  });
});
