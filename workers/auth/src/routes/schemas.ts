import { z } from "@hono/zod-openapi";
import { PASSWORD_MAX_LENGTH } from "../password-policy.ts";

/** Trimmed and lower-cased before it is checked, so `  Ada@Example.com ` is the same account as `ada@example.com`. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email().max(254))
  .openapi({ example: "ada@example.com", format: "email" });

export const registerBody = z
  .object({
    email: emailSchema,
    // Length and common-password rules are checked after parsing, so the message can be specific.
    password: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH * 4),
    name: z.string().trim().min(1).max(200).openapi({ example: "Ada Lovelace" }),
  })
  .openapi("RegisterRequest");

export const userResponse = z
  .object({
    id: z.uuid(),
    email: z.email(),
    name: z.string(),
    roles: z.array(z.enum(["learner", "instructor", "admin"])),
    createdAt: z.iso.datetime(),
  })
  .openapi("RegisteredUser");

export const loginBody = z
  .object({
    email: emailSchema,
    password: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH * 4),
  })
  .openapi("LoginRequest");

export const tokenPair = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal("Bearer"),
    expiresIn: z.number().int().openapi({ description: "Seconds until the access token expires." }),
  })
  .openapi("TokenPair");

export const refreshBody = z.object({ refreshToken: z.string().min(1).max(512) }).openapi("RefreshRequest");
