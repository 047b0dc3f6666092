import { v7 as uuidv7 } from "uuid";
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { admin, instructor, learner, type Person } from "../../../test/support/people.ts";
import { expectPermissionMatrix } from "../../../test/support/permission-matrix.ts";

/**
 * The admin's routes to stop trusting an external provider (PATCH to disable or enable, DELETE to
 * remove): who may call them, what they refuse, and what they change. That the gateway then
 * refuses the provider's tokens within seconds is external-issuer.platform.test.ts, with a real
 * OpenID provider.
 */
let boss: Person;
let people: Record<"learner" | "instructor", Person>;
beforeAll(async () => {
  boss = await admin("providers-admin");
  people = { learner: await learner("providers-learner"), instructor: await instructor("providers-instructor") };
});

async function configured(tag: string): Promise<{ id: string; issuer: string }> {
  const slug = `${tag}-${Math.random().toString(36).slice(2, 10)}`;
  const issuer = `https://${slug}.idp.example.test`;
  const created = await api<{ id: string }>("POST", "/api/auth/providers", {
    token: boss.token,
    body: { slug, issuer, clientId: "platform", audience: "platform-api" },
  });
  expect(created.status).toBe(201);
  return { id: created.body.id, issuer };
}

const enabledOf = async (id: string) =>
  (await db.query<{ enabled: boolean }>("select enabled from auth.oidc_providers where id = $1", [id])).rows[0]
    ?.enabled;

describe("who may change or remove a provider", () => {
  it("only an admin; anyone else learns that before any validation", async () => {
    const provider = await configured("matrix");
    await expectPermissionMatrix({
      callers: ["anonymous", "learner", "instructor"] as const,
      rows: [
        {
          request: { method: "PATCH", path: `/api/auth/providers/${provider.id}`, body: { enabled: false } },
          expect: { anonymous: 401, learner: 403, instructor: 403 },
        },
        {
          request: { method: "PATCH", path: "/api/auth/providers/not-a-uuid", body: { enabled: "no" } },
          expect: { anonymous: 401, learner: 403, instructor: 403 },
        },
        {
          request: { method: "DELETE", path: `/api/auth/providers/${provider.id}` },
          expect: { anonymous: 401, learner: 403, instructor: 403 },
        },
      ],
      send: (request, caller) =>
        api(request.method, request.path, {
          ...(request.body !== undefined && { body: request.body }),
          ...(caller !== "anonymous" && { token: people[caller].token }),
        }),
    });
    expect(await enabledOf(provider.id)).toBe(true);
  });
});

describe("an admin", () => {
  it("disables a provider (it leaves the issuers the gateway trusts and the sign-in list) and enables it again", async () => {
    const provider = await configured("disable");
    const off = await api<{ enabled: boolean }>("PATCH", `/api/auth/providers/${provider.id}`, {
      token: boss.token,
      body: { enabled: false },
    });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: provider.id, issuer: provider.issuer, enabled: false });
    expect(await enabledOf(provider.id)).toBe(false);
    const on = await api<{ enabled: boolean }>("PATCH", `/api/auth/providers/${provider.id}`, {
      token: boss.token,
      body: { enabled: true },
    });
    expect(on.status).toBe(200);
    expect(on.body.enabled).toBe(true);
    expect(await enabledOf(provider.id)).toBe(true);
  });

  it("removes a provider; a second removal is 404", async () => {
    const provider = await configured("remove");
    expect((await api("DELETE", `/api/auth/providers/${provider.id}`, { token: boss.token })).status).toBe(204);
    expect(await enabledOf(provider.id)).toBeUndefined();
    const again = await api("DELETE", `/api/auth/providers/${provider.id}`, { token: boss.token });
    expect(again.status).toBe(404);
    expect(again.headers.get("content-type")).toBe("application/problem+json");
  });

  it("gets 404 changing a provider that does not exist", async () => {
    const answer = await api("PATCH", `/api/auth/providers/${uuidv7()}`, {
      token: boss.token,
      body: { enabled: false },
    });
    expect(answer.status).toBe(404);
  });

  it.each([
    ["no field", {}],
    ["a string for enabled", { enabled: "false" }],
    ["another field (the issuer is not changed this way)", { enabled: false, issuer: "https://evil.example" }],
  ])("gets 400 for %s", async (_name, body) => {
    const provider = await configured("invalid");
    const answer = await api("PATCH", `/api/auth/providers/${provider.id}`, { token: boss.token, body });
    expect(answer.status).toBe(400);
    expect(await enabledOf(provider.id)).toBe(true);
  });

  it("gets 400 for an id that is not a UUID", async () => {
    expect((await api("DELETE", "/api/auth/providers/keycloak", { token: boss.token })).status).toBe(400);
  });
});
