import { z } from "@hono/zod-openapi";

/** Intl knows every IANA zone the runtime supports; anything else is a typo. */
function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

export const profileSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    avatarUrl: z.url().nullable(),
    locale: z.string(),
    timeZone: z.string(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Profile");

export const profilePatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    avatarUrl: z
      .url({ protocol: /^https$/ })
      .max(2000)
      .nullable()
      .optional()
      .openapi({ description: "An https URL, or null to remove it." }),
    locale: z.string().max(35).refine(isLocale, "A BCP 47 language tag, e.g. en or pt-BR.").optional(),
    timeZone: z.string().max(64).refine(isTimeZone, "An IANA time zone, e.g. Europe/Berlin.").optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, "Send at least one field to change.")
  .openapi("ProfilePatch");

export const roleSchema = z.enum(["learner", "instructor", "admin"]);

export const accountSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    roles: z.array(roleSchema),
    status: z.enum(["active", "disabled"]),
    createdAt: z.iso.datetime(),
    liveSessions: z.number().int(),
  })
  .openapi("Account");
