import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { problemContent } from "@platform/http-kit/openapi";
import type { UsersEnv } from "../env.ts";
import { eraseProfile, findProfile, updateProfile, type Profile } from "../profiles.ts";
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
  new ProblemError("not-found", 404, {
    detail: "Your profile is not there yet: it is created from your registration event, usually within seconds.",
  });

const unavailable = () => new ProblemError("service-unavailable", 503, { detail: "Accounts are unavailable; try again." });

const security = [{ bearer: [] }];
const authErrors = { 401: { description: "Not signed in", content: problemContent } };

const getMe = createRoute({
  method: "get",
  path: "/api/users/me",
  summary: "Your profile",
  tags: ["users"],
  security,
  responses: {
    200: { description: "Your profile", content: { "application/json": { schema: profileSchema } } },
    ...authErrors,
    404: { description: "The profile is not created yet", content: problemContent },
  },
});

const patchMe = createRoute({
  method: "patch",
  path: "/api/users/me",
  summary: "Change your name, avatar, locale or time zone",
  tags: ["users"],
  security,
  request: { body: { required: true, content: { "application/json": { schema: profilePatch } } } },
  responses: {
    200: { description: "The changed profile", content: { "application/json": { schema: profileSchema } } },
    400: { description: "Invalid fields", content: problemContent },
    ...authErrors,
    404: { description: "The profile is not created yet", content: problemContent },
  },
});

const exportMe = createRoute({
  method: "get",
  path: "/api/users/me/export",
  summary: "Everything the platform keeps about you, as JSON",
  tags: ["users"],
  security,
  responses: {
    200: {
      description: "Your data",
      content: {
        "application/json": {
          schema: z.object({ exportedAt: z.iso.datetime(), account: accountSchema, profile: profileSchema.nullable() }),
        },
      },
    },
    ...authErrors,
  },
});

const deleteMe = createRoute({
  method: "delete",
  path: "/api/users/me",
  summary: "Erase your account: personal data removed, every session ended",
  tags: ["users"],
  security,
  responses: { 204: { description: "Erased" }, ...authErrors },
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
    const [account, profile] = await Promise.all([c.env.AUTH.exportAccount(userId), findProfile(c.var.database().db, userId)]);
    if (!account.ok) throw account.code === "not_found" ? new ProblemError("not-found", 404) : unavailable();
    c.header("content-disposition", 'attachment; filename="edge-learning-export.json"');
    c.header("cache-control", "no-store");
    return c.json(
      { exportedAt: new Date().toISOString(), account: account.value, profile: profile ? presentProfile(profile) : null },
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
