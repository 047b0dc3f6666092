import type { z } from "@hono/zod-openapi";
import { problemContent } from "@platform/http-kit/openapi";

/** `content` of a JSON request body or response. */
export const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

/** A documented problem+json answer. */
export const problem = (description: string) => ({ description, content: problemContent });

/** The security requirement of a route that needs our bearer access token. */
export const bearerSecurity: Record<string, string[]>[] = [{ bearer: [] }];

/**
 * A route open to API keys with `scope` as well (docs/integrators.md#scopes): a person's token, the key
 * itself, or a client-credentials token carrying the scope. Read by the gateway and the typed client.
 */
export const scopedSecurity = (scope: string): Record<string, string[]>[] => [
  { bearer: [] },
  { apiKey: [scope] },
  { clientCredentials: [scope] },
];
