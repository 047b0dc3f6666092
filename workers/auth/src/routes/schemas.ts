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

const passwordField = z
  .string()
  .min(1)
  .max(PASSWORD_MAX_LENGTH * 4);

/** The token from a mailed link. Its shape is not checked here: a malformed one is refused like a spent one. */
export const accountTokenBody = z
  .object({ token: z.string().min(1).max(256).openapi({ description: "The `token` query parameter of the link." }) })
  .openapi("AccountTokenRequest");

export const emailVerifiedResponse = z.object({ emailVerified: z.literal(true) }).openapi("EmailVerified");

/** The one answer to a request whose outcome must not be told (does this address have an account?). */
export const acceptedResponse = z
  .object({ accepted: z.literal(true) })
  .openapi("AccountMailAccepted", { description: "Taken in: a mail is on its way if there is someone to send it to." });

export const passwordResetBody = z.object({ email: emailSchema }).openapi("PasswordResetRequest");

export const passwordResetConfirmBody = z
  .object({ token: accountTokenBody.shape.token, password: passwordField })
  .openapi("PasswordResetConfirmation");

export const passwordChangeBody = z
  .object({
    currentPassword: passwordField,
    newPassword: passwordField,
    refreshToken: z.string().min(1).max(512).optional().openapi({
      description: "The caller's refresh token: its session is kept (with a new access token in the answer).",
    }),
  })
  .openapi("PasswordChangeRequest");

export const passwordChangedResponse = z
  .object({
    sessionKept: z.boolean().openapi({ description: "False: every session ended, the caller's too." }),
    tokens: tokenPair
      .nullable()
      .openapi({ description: "For the kept session: a new access token, the same refresh token." }),
  })
  .openapi("PasswordChanged");

export const emailChangeBody = z
  .object({ newEmail: emailSchema, currentPassword: passwordField })
  .openapi("EmailChangeRequest");

export const emailChangedResponse = z
  .object({ email: z.email(), emailVerified: z.literal(true) })
  .openapi("EmailChanged");

export const accountResponse = z
  .object({
    id: z.uuid(),
    email: z.email(),
    emailVerified: z.boolean(),
    roles: z.array(z.enum(["learner", "instructor", "admin"])),
    status: z.enum(["active", "disabled"]),
    createdAt: z.iso.datetime(),
  })
  .openapi("SignedInAccount");

export const passwordResetDoneResponse = z
  .object({ passwordChanged: z.literal(true), sessionsEnded: z.literal(true) })
  .openapi("PasswordReset");
