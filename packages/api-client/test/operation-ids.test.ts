import { beforeAll, describe, expect, it } from "vitest";
import type { OpenApiDocument } from "../../../workers/gateway/src/openapi/document.ts";
import { buildMergedDocument } from "../generator/merged-document.ts";

/**
 * An `operationId` names an operation in the generated client and in integrators' own tools
 * (SDK generators, API consoles): defineRoute requires one, and this checks the merged document
 * as a whole, where the workers' and the gateway's operations meet, so two services cannot both
 * claim a name and a hand-written gateway operation cannot go without one.
 */

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId: unknown;
}

let operations: Operation[];

beforeAll(async () => {
  const document: OpenApiDocument = await buildMergedDocument();
  operations = Object.entries(document.paths as Record<string, Record<string, { operationId?: unknown }>>).flatMap(
    ([path, item]) =>
      METHODS.filter((method) => item[method] !== undefined).map((method) => ({
        method,
        path,
        operationId: item[method]?.operationId,
      })),
  );
}, 60_000);

describe("the merged OpenAPI document's operationIds", () => {
  it("covers every domain worker and the gateway", () => {
    // A guard on the checks below: an empty or half-merged document would pass them vacuously.
    for (const prefix of ["/api/auth/", "/api/courses", "/api/events", "/api/users", "/api/health"]) {
      expect(
        operations.some((operation) => operation.path.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  });

  it("gives every operation one", () => {
    const without = operations
      .filter((operation) => typeof operation.operationId !== "string" || operation.operationId === "")
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(without).toEqual([]);
  });

  it("names each in camelCase, starting with a lowercase verb", () => {
    const misnamed = operations
      .filter(
        ({ operationId }) => typeof operationId !== "string" || !/^[a-z]+(?:[A-Z0-9][a-zA-Z0-9]*)*$/.test(operationId),
      )
      .map(({ method, path, operationId }) => `${method.toUpperCase()} ${path}: ${String(operationId)}`);
    expect(misnamed).toEqual([]);
  });

  it("never gives two operations the same one, across all the services", () => {
    const byId = new Map<string, string[]>();
    for (const { method, path, operationId } of operations) {
      const id = String(operationId);
      byId.set(id, [...(byId.get(id) ?? []), `${method.toUpperCase()} ${path}`]);
    }
    const shared = [...byId].filter(([, claimants]) => claimants.length > 1);
    expect(shared).toEqual([]);
  });
});
