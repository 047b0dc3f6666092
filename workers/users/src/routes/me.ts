import { OpenAPIHono, z } from "@hono/zod-openapi";
import { errorText, logLine, ProblemError, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, signedIn } from "@platform/service-kit";
import type { UsersEnv } from "../env.ts";
import { eraseProfile, findProfile, updateProfile, type Profile } from "../profiles.ts";
import { learningSchema, notificationsSchema, purchasesSchema } from "./export-schemas.ts";
import { accountSchema, profilePatch, profileSchema } from "./schemas.ts";

export function presentProfile(profile: Profile): z.infer<typeof profileSchema> {
  return {
    id: profile.userId,
    name: profile.name,
    avatarUrl: profile.avatarUrl,
    locale: profile.locale,
    timeZone: profile.timeZone,
    updatedAt: profile.updatedAt.toISOString(),
  };
}

const noProfile = () =>
  new ProblemError("not-found", {
    detail: "Your profile is not there yet: it is created from your registration event, usually within seconds.",
  });

const unavailable = () => new ProblemError("service-unavailable", { detail: "Accounts are unavailable; try again." });

const partUnavailable = () =>
  new ProblemError("service-unavailable", {
    detail:
      "A service holding part of your data is unavailable, and an export without it would be incomplete; try again.",
  });

/** A part's RPC that throws (its worker could not be reached) leaves the export as incomplete as one that says so. */
function orUnavailable<T>(part: string, call: Promise<T>): Promise<T | { ok: false; code: "unavailable" }> {
  return call.catch((error: unknown) => {
    logLine("warn", "users", "export part unavailable", { part, error: errorText(error) });
    return { ok: false as const, code: "unavailable" as const };
  });
}

const getMe = defineRoute(signedIn, {
  method: "get",
  operationId: "getMyProfile",
  path: "/api/users/me",
  summary: "Your profile",
  tags: ["users"],
  responses: {
    200: { description: "Your profile", content: json(profileSchema) },
    404: problem("The profile is not created yet"),
  },
});

const patchMe = defineRoute(signedIn, {
  method: "patch",
  operationId: "updateMyProfile",
  path: "/api/users/me",
  summary: "Change your name, avatar, locale or time zone",
  tags: ["users"],
  request: { body: { required: true, content: json(profilePatch) } },
  responses: {
    200: { description: "The changed profile", content: json(profileSchema) },
    400: problem("Invalid fields"),
    404: problem("The profile is not created yet"),
  },
});

const exportMe = defineRoute(signedIn, {
  method: "get",
  operationId: "exportMyData",
  path: "/api/users/me/export",
  summary: "Everything the platform keeps about you, as JSON",
  tags: ["users"],
  responses: {
    200: {
      description: "Your data",
      content: json(
        z.object({
          exportedAt: z.iso.datetime(),
          account: accountSchema,
          profile: profileSchema.nullable(),
          learning: learningSchema,
          payments: purchasesSchema,
          notifications: notificationsSchema,
        }),
      ),
    },
    404: problem("The account is not there (erased)"),
    503: problem("A service holding part of your data is unavailable: no partial export is given"),
  },
});

const deleteMe = defineRoute(signedIn, {
  method: "delete",
  operationId: "eraseMyAccount",
  path: "/api/users/me",
  summary: "Erase your account: personal data removed, every session ended",
  tags: ["users"],
  responses: { 204: { description: "Erased" } },
});

export const meRoutes = new OpenAPIHono<UsersEnv>()
  .openapi(getMe, async (c) => {
    const { userId } = requirePrincipal(c);
    const profile = await findProfile(c.var.database().db, userId);
    if (!profile) throw noProfile();
    return c.json(presentProfile(profile), 200);
  })
  .openapi(patchMe, async (c) => {
    const { userId } = requirePrincipal(c);
    const profile = await updateProfile(c.var.database().db, userId, c.req.valid("json"), {
      correlationId: c.var.correlationId,
    });
    if (!profile) throw noProfile();
    return c.json(presentProfile(profile), 200);
  })
  .openapi(exportMe, async (c) => {
    const { userId } = requirePrincipal(c);
    // Each part from the service that owns it; an export missing a part would mislead, so any failure is a 503.
    const [account, profile, learning, payments, progress, notifications] = await Promise.all([
      orUnavailable("account", c.env.AUTH.exportAccount(userId)),
      findProfile(c.var.database().db, userId),
      orUnavailable("learning", c.env.COURSES.learnerRecords(userId)),
      orUnavailable("payments", c.env.PAYMENTS.paymentRecords(userId)),
      orUnavailable("progress", c.env.PROGRESS.progressRecords(userId)),
      orUnavailable("notifications", c.env.NOTIFICATIONS.notificationRecords(userId)),
    ]);
    if (!account.ok) throw account.code === "not_found" ? new ProblemError("not-found") : partUnavailable();
    if (!learning.ok || !payments.ok || !progress.ok || !notifications.ok) throw partUnavailable();
    const { courses, lessons, certificates } = progress.value;
    c.header("content-disposition", 'attachment; filename="edge-learning-export.json"');
    c.header("cache-control", "no-store");
    return c.json(
      {
        exportedAt: new Date().toISOString(),
        account: account.value,
        profile: profile ? presentProfile(profile) : null,
        learning: { ...learning.value, progress: { courses, lessons }, certificates },
        payments: payments.value,
        notifications: notifications.value,
      },
      200,
    );
  })
  .openapi(deleteMe, async (c) => {
    const { userId } = requirePrincipal(c);
    // The account first: once it is gone no new session can start; the profile follows.
    const erased = await c.env.AUTH.eraseAccount(userId, c.var.correlationId);
    if (!erased.ok && erased.code !== "not_found") throw unavailable();
    await eraseProfile(c.var.database().db, userId);
    return c.body(null, 204);
  });
