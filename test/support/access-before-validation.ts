import { describe, expect, it } from "vitest";
import type { ProblemDetails } from "@platform/http-kit";
import { api } from "./api.ts";

/** A request that is wrong on purpose, and the field errors a permitted caller must be shown. */
export interface InvalidRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly fields: readonly string[];
}

export interface AccessCallers {
  /** A signed-in caller without the route's role (403), for role-restricted routes. */
  readonly refused?: () => string;
  /** A caller the route lets through (400 with the field errors). */
  readonly permitted: () => string;
}

const send = (request: InvalidRequest, token?: string) =>
  api<ProblemDetails>(request.method, request.path, {
    ...(request.body !== undefined && { body: request.body }),
    ...(request.headers && { headers: request.headers }),
    ...(token && { token }),
  });

/**
 * Who before what, over HTTP through the gateway: the service kit checks the caller before the
 * route's validators run, so for each of these deliberately invalid requests an anonymous caller
 * gets 401 and a caller without the role 403, neither shown the schema, and only a permitted
 * caller is told which fields are wrong. Callers are functions because tokens exist only once
 * the file's `beforeAll` has run.
 */
export function describeAccessBeforeValidation(
  label: string,
  routes: Readonly<Record<string, InvalidRequest>>,
  callers: AccessCallers,
): void {
  describe.each(Object.entries(routes))(`%s (${label})`, (_name, request) => {
    it("answers an anonymous caller with an invalid request 401, without the schema", async () => {
      const response = await send(request);
      expect(response.status).toBe(401);
      expect(response.body.type).toBe("/problems/unauthorized");
      expect(response.body.errors).toBeUndefined();
    });

    if (callers.refused) {
      const refused = callers.refused;
      it("answers a caller without the role 403, without the schema", async () => {
        const response = await send(request, refused());
        expect(response.status).toBe(403);
        expect(response.body.type).toBe("/problems/forbidden");
        expect(response.body.errors).toBeUndefined();
      });
    }

    it("answers a permitted caller 400, naming the invalid fields", async () => {
      const response = await send(request, callers.permitted());
      expect(response.status).toBe(400);
      expect(response.body.type).toBe("/problems/validation-failed");
      expect(response.body.errors?.map((error) => error.path)).toEqual(expect.arrayContaining([...request.fields]));
    });
  });
}
