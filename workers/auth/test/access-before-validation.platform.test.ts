import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GOOD_PASSWORD, api, registerAndLogin, type TokenPair } from "../../../test/support/api.ts";

/**
 * Who before what: the kit checks the caller before the route's validators run, so an anonymous
 * caller gets 401 and a learner 403 however wrong the body is (never a 400 listing the schema),
 * and only a permitted caller is told what is wrong with the body.
 */
type Problem = { type: string; status: number; errors?: { path: string; message: string }[] };

const db = new pg.Client({ connectionString: inject("databaseUrl") });
let learnerToken: string;
let adminToken: string;

beforeAll(async () => {
  await db.connect();
  const [learner, admin] = await Promise.all([registerAndLogin("abv-learner"), registerAndLogin("abv-admin")]);
  learnerToken = learner.tokens.accessToken;
  await db.query("update auth.accounts set roles = '{admin}' where id = $1", [admin.userId]);
  // Roles are in the access token: sign in again to carry the new one.
  const login = await api<TokenPair>("POST", "/api/auth/login", {
    body: { email: admin.email, password: GOOD_PASSWORD },
  });
  if (login.status !== 200) throw new Error(`admin login answered ${login.status}`);
  adminToken = login.body.accessToken;
});

afterAll(() => db.end());

/** Wrong in every field, and the issuer not even a URL (which used to answer 500). */
const invalidProvider = { slug: "Not A Slug!", issuer: "not a url", clientId: "", audience: 7, roleMap: { x: "root" } };

describe("POST /api/auth/providers (admin)", () => {
  it("answers an anonymous caller with an invalid body 401, not 400 or 500", async () => {
    const response = await api<Problem>("POST", "/api/auth/providers", { body: invalidProvider });
    expect(response.status).toBe(401);
    expect(response.body.type).toBe("/problems/unauthorized");
    expect(response.body.errors).toBeUndefined();
  });

  it("answers a learner with an invalid body 403", async () => {
    const response = await api<Problem>("POST", "/api/auth/providers", { body: invalidProvider, token: learnerToken });
    expect(response.status).toBe(403);
    expect(response.body.type).toBe("/problems/forbidden");
    expect(response.body.errors).toBeUndefined();
  });

  it("answers an admin with an invalid body 400, with field errors", async () => {
    const response = await api<Problem>("POST", "/api/auth/providers", { body: invalidProvider, token: adminToken });
    expect(response.status).toBe(400);
    expect(response.body.type).toBe("/problems/validation-failed");
    const paths = response.body.errors?.map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(["json.slug", "json.issuer", "json.clientId", "json.audience"]));
  });

  it("answers an admin 400 for an issuer that is not a URL (a field error, never a 500)", async () => {
    const response = await api<Problem>("POST", "/api/auth/providers", {
      token: adminToken,
      body: { slug: "not-a-url", issuer: "not a url", clientId: "x", audience: "y" },
    });
    expect(response.status).toBe(400);
    expect(response.body.type).toBe("/problems/validation-failed");
    expect(response.body.errors?.map((error) => error.path)).toEqual(["json.issuer"]);
  });
});

describe("GET /api/auth/providers (admin)", () => {
  it("answers an anonymous caller 401 and a learner 403", async () => {
    const anonymous = await api<Problem>("GET", "/api/auth/providers");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.type).toBe("/problems/unauthorized");
    const learner = await api<Problem>("GET", "/api/auth/providers", { token: learnerToken });
    expect(learner.status).toBe(403);
    expect(learner.body.type).toBe("/problems/forbidden");
  });
});

describe("POST /api/auth/logout-all (signed in)", () => {
  it("answers an anonymous caller with a body it does not take 401", async () => {
    const response = await api<Problem>("POST", "/api/auth/logout-all", {
      body: { everything: "not json it expects" },
    });
    expect(response.status).toBe(401);
    expect(response.body.type).toBe("/problems/unauthorized");
  });
});
