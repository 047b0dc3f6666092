import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { buildMergedDocument } from "../../../packages/api-client/generator/merged-document.ts";
import { renderRouteScopes, ROUTE_SCOPES_FILE, routeScopesOf } from "../generator/route-scopes.ts";
import type { RouteScope } from "../src/auth/key-scope.ts";

/**
 * The checked-in scope table is the API as the code declares it now: built again in memory from
 * the merged document (every worker's and the gateway's, in-process) and compared with the file.
 */
const REGENERATE = "the gateway's route-scope table is stale: run `npm run gateway:route-scopes` and commit the result";

let routes: RouteScope[];
let fresh: string;

beforeAll(async () => {
  routes = routeScopesOf(await buildMergedDocument());
  fresh = await renderRouteScopes(routes);
}, 60_000);

describe("the gateway's route-scope table", () => {
  it("is the merged document of the current code", async () => {
    expect(await readFile(ROUTE_SCOPES_FILE, "utf8"), REGENERATE).toBe(fresh);
  });

  it("holds every operation, with the scopes the workers declare", () => {
    expect(routes).toContainEqual({ method: "POST", path: "/api/courses", scope: "courses:write", guarded: true });
    expect(routes).toContainEqual({ method: "GET", path: "/api/events", scope: "events:read", guarded: true });
    expect(routes).toContainEqual({ method: "GET", path: "/api/notifications", scope: null, guarded: true });
    expect(routes).toContainEqual({ method: "POST", path: "/api/live/ticket", scope: null, guarded: true });
    expect(routes).toContainEqual({ method: "POST", path: "/api/auth/login", scope: null, guarded: false });
  });

  it("refuses a document whose operation declares a scope that does not exist", () => {
    const document = {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: { "/api/x": { get: { "x-api-key-scope": "everything", responses: {} } } },
    };
    expect(() => routeScopesOf(document)).toThrow(/unknown scope: "everything"/);
  });
});
