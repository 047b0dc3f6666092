import { describe, expect, it } from "vitest";
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_QUERY_TIMEOUT_MS, databaseTimeouts } from "../src/client.ts";

const bindings = { DATABASE_URL: "postgres://u:p@127.0.0.1/db" };

describe("databaseTimeouts: the driver's timeouts from a worker's vars", () => {
  it("takes the defaults when the vars are not set", () => {
    expect(databaseTimeouts(bindings)).toEqual({
      connectMs: DEFAULT_CONNECT_TIMEOUT_MS,
      queryMs: DEFAULT_QUERY_TIMEOUT_MS,
    });
  });

  it("takes what the vars say, as strings or numbers", () => {
    expect(
      databaseTimeouts({ ...bindings, DATABASE_CONNECT_TIMEOUT_MS: "1500", DATABASE_QUERY_TIMEOUT_MS: 2500 }),
    ).toEqual({ connectMs: 1500, queryMs: 2500 });
  });

  it.each(["", "soon", "0", "-5", "Infinity"])("falls back to the default for %j rather than no timeout", (value) => {
    expect(
      databaseTimeouts({ ...bindings, DATABASE_CONNECT_TIMEOUT_MS: value, DATABASE_QUERY_TIMEOUT_MS: value }),
    ).toEqual({ connectMs: DEFAULT_CONNECT_TIMEOUT_MS, queryMs: DEFAULT_QUERY_TIMEOUT_MS });
  });
});
