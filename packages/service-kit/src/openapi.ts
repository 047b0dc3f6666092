import type { z } from "@hono/zod-openapi";
import { problemContent } from "@platform/http-kit/openapi";

/** `content` of a JSON request body or response. */
export const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

/** A documented problem+json answer. */
export const problem = (description: string) => ({ description, content: problemContent });

/** The security requirement of a route that needs our bearer access token. */
export const bearerSecurity = [{ bearer: [] }];
