import { OpenAPIHono } from "@hono/zod-openapi";
import type { CoursesEnv } from "../env.ts";

/** Resumable media uploads to R2 and media serving with Range support. */
export const mediaRoutes = new OpenAPIHono<CoursesEnv>();
