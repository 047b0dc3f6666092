import {
  base64url,
  createLocalJWKSet,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
} from "jose";
import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AuthRpc, CourseForSale, RpcResult } from "@platform/contracts";
import { openDatabase, type DatabaseBindings } from "@platform/db";
import { buildEvent } from "@platform/events";
import { createDomainApp, type DomainEnv } from "@platform/service-kit";
import { databaseBindings, inProcess, principal, type Principal } from "../../../test/support/in-process.ts";
import { expectPermissionMatrix } from "../../../test/support/permission-matrix.ts";
// The real signer, with a key of this test's own: the credential is signed exactly as auth signs it.
import { signCredential } from "../../auth/src/credentials.ts";
import { signingKeys } from "../../auth/src/signing-keys.ts";
import type { CertificateBindings } from "../src/certificates/bindings.ts";
import { IssuanceDeferred, issueCertificateFor } from "../src/certificates/issue.ts";
import { certificateRoutes } from "../src/certificates/routes.ts";
import * as schema from "../src/db/schema.ts";

/**
 * Certificates against the real progress schema: issuance on COURSE_COMPLETED (once per learner
 * and course, whatever the deliveries), what happens when a service it needs cannot answer, the
 * signed credential checked offline against the JWKS alone, and the three routes with their
 * permission matrix. The same journey through the whole stack, with the real auth worker's key,
 * is certificates.platform.test.ts.
 */
const ISSUER = "https://learn.example.test";
const sql = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
const database = openDatabase(databaseBindings(), schema);
const db = database.db;

const app = createDomainApp<DomainEnv<DatabaseBindings, typeof schema>, typeof schema>({
  service: "progress",
  schema,
}).route("/", certificateRoutes);
const progress = inProcess(app);

let jwks: JSONWebKeySet;
let privateKeys: string;

/** The services issuance asks, as small stand-ins behind their contracts; each call is counted. */
function services(names: Map<string, RpcResult<string, "not_found" | "pending" | "unavailable">>) {
  const calls = { sign: 0, name: 0, course: 0 };
  const signing: { refuse?: "invalid_credential" | "unavailable" } = {};
  const courses = new Map<string, CourseForSale>();
  const bindings: CertificateBindings = {
    AUTH: {
      signCredential: async (credential) => {
        calls.sign += 1;
        if (signing.refuse) return { ok: false, code: signing.refuse };
        return signCredential({ privateKeys, issuer: ISSUER }, credential) as ReturnType<AuthRpc["signCredential"]>;
      },
    },
    USERS: {
      learnerName: async (userId) => {
        calls.name += 1;
        return names.get(userId) ?? { ok: false, code: "not_found" };
      },
    },
    COURSES: {
      courseForSale: async (courseId) => {
        calls.course += 1;
        return courses.get(courseId);
      },
    },
  };
  return { bindings, calls, signing, courses };
}

const names = new Map<string, RpcResult<string, "not_found" | "pending" | "unavailable">>();
const stand = services(names);

async function courseWithOutline(title: string): Promise<string> {
  const courseId = uuidv7();
  await sql.query("insert into progress.course_outlines (course_id, title, slug) values ($1, $2, $3)", [
    courseId,
    title,
    `course-${courseId}`,
  ]);
  return courseId;
}

function learnerNamed(name: string): Principal {
  const learner = principal("learner");
  names.set(learner.userId, { ok: true, value: name });
  return learner;
}

const completion = (userId: string, courseId: string, completedAt = "2026-11-02T09:30:00.000Z") =>
  buildEvent("COURSE_COMPLETED", { userId, courseId, completedAt }, { source: "progress", correlationId: "test" });

async function certificateRows(userId: string) {
  return (await sql.query("select * from progress.certificates where user_id = $1", [userId])).rows;
}

/** Issues a certificate the way the consumer does, and returns its public view. */
async function issued(learner: Principal, courseId: string) {
  expect(await issueCertificateFor(db, stand.bindings, completion(learner.userId, courseId))).toBe("applied");
  const { rows } = await sql.query("select id from progress.certificates where user_id = $1 and course_id = $2", [
    learner.userId,
    courseId,
  ]);
  const [row] = rows;
  const view = await progress.request<CertificateView>("GET", `/api/progress/certificates/${row.id}`);
  expect(view.status).toBe(200);
  return view.body;
}

interface CertificateView {
  id: string;
  learnerName: string;
  course: { id: string; title: string };
  completedAt: string;
  issuedAt: string;
  revoked: boolean;
  revokedAt: string | null;
  revokedReason: string | null;
  credential: { format: string; jwt: string };
}

beforeAll(async () => {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  privateKeys = JSON.stringify([{ ...(await exportJWK(privateKey)), kid: "routes-test-key" }]);
  jwks = { keys: [...(await signingKeys(privateKeys)).publicJwks] as JWK[] };
});
afterAll(async () => {
  await database.close();
  await sql.end();
});

describe("issuing on COURSE_COMPLETED", () => {
  it("issues an Open Badges 3.0 credential that verifies against the JWKS alone", async () => {
    const learner = learnerNamed("Ada Lovelace");
    const courseId = await courseWithOutline("Analytical Engines");
    const view = await issued(learner, courseId);
    expect(view).toMatchObject({
      learnerName: "Ada Lovelace",
      course: { id: courseId, title: "Analytical Engines" },
      completedAt: "2026-11-02T09:30:00.000Z",
      revoked: false,
      revokedAt: null,
      credential: { format: "vc+jwt" },
    });

    const { payload, protectedHeader } = await jwtVerify(view.credential.jwt, createLocalJWKSet(jwks), {
      algorithms: ["EdDSA"],
      typ: "vc+jwt",
      issuer: ISSUER,
    });
    expect(protectedHeader.kid).toBe("routes-test-key");
    expect(payload).toMatchObject({
      "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
      ],
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      id: `urn:uuid:${view.id}`,
      jti: `urn:uuid:${view.id}`,
      issuer: { id: ISSUER, type: ["Profile"], name: "Edge Learning" },
      validFrom: view.issuedAt,
      nbf: Date.parse(view.issuedAt) / 1000,
      sub: `urn:uuid:${learner.userId}`,
      credentialSubject: {
        id: `urn:uuid:${learner.userId}`,
        type: ["AchievementSubject"],
        activityEndDate: "2026-11-02T09:30:00.000Z",
        identifier: [{ type: "IdentityObject", identityType: "name", hashed: false, identityHash: "Ada Lovelace" }],
        achievement: {
          id: `urn:uuid:${courseId}`,
          type: ["Achievement"],
          achievementType: "CertificateOfCompletion",
          name: "Analytical Engines",
          criteria: { narrative: expect.any(String) },
          description: expect.any(String),
        },
      },
    });
  });

  it("a tampered credential fails verification: another name, or another signature", async () => {
    const view = await issued(learnerNamed("Grace Hopper"), await courseWithOutline("Compilers"));
    const [header, body, signature] = view.credential.jwt.split(".") as [string, string, string];
    const claims = decodeJwt(view.credential.jwt) as { credentialSubject: { identifier: [{ identityHash: string }] } };
    const forgedClaims = structuredClone(claims);
    forgedClaims.credentialSubject.identifier[0].identityHash = "Mallory";
    const forgedBody = base64url.encode(JSON.stringify(forgedClaims));
    const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    for (const tampered of [`${header}.${forgedBody}.${signature}`, `${header}.${body}.${flipped}`]) {
      await expect(jwtVerify(tampered, createLocalJWKSet(jwks))).rejects.toMatchObject({
        code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
      });
    }
    // The untouched one still verifies: the failures above are the tampering's.
    await expect(jwtVerify(`${header}.${body}.${signature}`, createLocalJWKSet(jwks))).resolves.toBeDefined();
  });

  it("issues once per learner and course: a redelivery and concurrent deliveries keep one certificate", async () => {
    const learner = learnerNamed("Katherine Johnson");
    const courseId = await courseWithOutline("Orbital Mechanics");
    const first = await issued(learner, courseId);
    // The same event again, and another COURSE_COMPLETED for the pair (a re-sent copy): nothing new.
    expect(await issueCertificateFor(db, stand.bindings, completion(learner.userId, courseId))).toBe("duplicate");
    const signsBefore = stand.calls.sign;
    expect(await issueCertificateFor(db, stand.bindings, completion(learner.userId, courseId))).toBe("duplicate");
    expect(stand.calls.sign).toBe(signsBefore);
    expect((await certificateRows(learner.userId)).map((row) => row.id)).toEqual([first.id]);

    // Five deliveries at once for another learner: however they interleave, one certificate.
    const racer = learnerNamed("Dorothy Vaughan");
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => issueCertificateFor(db, stand.bindings, completion(racer.userId, courseId))),
    );
    expect(outcomes.filter((outcome) => outcome === "applied")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== "applied").every((outcome) => outcome === "duplicate")).toBe(true);
    const rows = await certificateRows(racer.userId);
    expect(rows).toHaveLength(1);
    // The kept row's credential is the one signed for it (its id is the credential's).
    expect(decodeJwt(rows[0].credential).jti).toBe(`urn:uuid:${rows[0].id}`);
  });

  it("defers while the learner's name cannot be read, and issues on the redelivery once it can", async () => {
    const learner = principal("learner");
    const courseId = await courseWithOutline("Patience");
    // Users down, then up but without the profile yet (its USER_CREATED in the same batch as this completion).
    for (const code of ["unavailable", "pending"] as const) {
      names.set(learner.userId, { ok: false, code });
      await expect(
        issueCertificateFor(db, stand.bindings, completion(learner.userId, courseId)),
      ).rejects.toBeInstanceOf(IssuanceDeferred);
    }
    expect(await certificateRows(learner.userId)).toEqual([]);
    names.set(learner.userId, { ok: true, value: "Margaret Hamilton" });
    expect(await issueCertificateFor(db, stand.bindings, completion(learner.userId, courseId))).toBe("applied");
    expect((await certificateRows(learner.userId))[0]).toMatchObject({ learner_name: "Margaret Hamilton" });
  });

  it("defers while auth will not sign, storing nothing", async () => {
    const learner = learnerNamed("Radia Perlman");
    const courseId = await courseWithOutline("Spanning Trees");
    for (const refusal of ["unavailable", "invalid_credential"] as const) {
      stand.signing.refuse = refusal;
      await expect(
        issueCertificateFor(db, stand.bindings, completion(learner.userId, courseId)),
      ).rejects.toBeInstanceOf(IssuanceDeferred);
    }
    stand.signing.refuse = undefined;
    expect(await certificateRows(learner.userId)).toEqual([]);
  });

  it("issues no certificate for a learner without a profile (erased)", async () => {
    const nobody = principal("learner");
    const courseId = await courseWithOutline("Forgotten");
    expect(await issueCertificateFor(db, stand.bindings, completion(nobody.userId, courseId))).toBe("ignored");
    expect(await certificateRows(nobody.userId)).toEqual([]);
  });

  it("takes the title from the courses service when this service has no outline of the course yet", async () => {
    const learner = learnerNamed("Barbara Liskov");
    const courseId = uuidv7();
    const unknown = await issueCertificateFor(db, stand.bindings, completion(learner.userId, courseId)).catch(
      (error: unknown) => error,
    );
    expect(unknown).toBeInstanceOf(IssuanceDeferred);
    stand.courses.set(courseId, {
      id: courseId,
      title: "Abstraction",
      slug: "abstraction",
      status: "published",
      price: null,
    });
    const view = await issued(learner, courseId);
    expect(view.course).toEqual({ id: courseId, title: "Abstraction" });
  });
});

describe("the routes", () => {
  it("GET /certificates/{id} is public; an unknown id is 404 and a malformed one 400", async () => {
    const view = await issued(learnerNamed("Alan Turing"), await courseWithOutline("Computability"));
    const anonymous = await progress.request<CertificateView>("GET", `/api/progress/certificates/${view.id}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual(view);
    expect(anonymous.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=1");
    expect((await progress.request("GET", `/api/progress/certificates/${uuidv7()}`)).status).toBe(404);
    const malformed = await progress.request<{ errors: { path: string }[] }>("GET", "/api/progress/certificates/nope");
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((error) => error.path)).toEqual(["param.id"]);
  });

  it("GET /certificates lists the caller's own, newest first, a page at a time", async () => {
    const learner = learnerNamed("Edsger Dijkstra");
    const other = learnerNamed("Tony Hoare");
    const ids: string[] = [];
    for (const title of ["Shortest Paths", "Semaphores", "Structured Programming"]) {
      ids.push((await issued(learner, await courseWithOutline(title))).id);
    }
    await issued(other, await courseWithOutline("Quicksort"));

    const firstPage = await progress.request<{ items: CertificateView[]; nextCursor: string | null }>(
      "GET",
      "/api/progress/certificates?limit=2",
      { as: learner },
    );
    expect(firstPage.status).toBe(200);
    expect(firstPage.headers.get("cache-control")).toBe("private, no-store");
    expect(firstPage.body.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    expect(firstPage.body.nextCursor).toBe(ids[1]);
    const secondPage = await progress.request<{ items: CertificateView[]; nextCursor: string | null }>(
      "GET",
      `/api/progress/certificates?limit=2&cursor=${firstPage.body.nextCursor}`,
      { as: learner },
    );
    expect(secondPage.body).toMatchObject({
      items: [{ id: ids[0], learnerName: "Edsger Dijkstra" }],
      nextCursor: null,
    });
    const none = await progress.request<{ items: unknown[] }>("GET", "/api/progress/certificates", {
      as: principal("learner"),
    });
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it("a revoked certificate says so publicly, with the reason; revoking again keeps the first revocation", async () => {
    const view = await issued(learnerNamed("Ken Thompson"), await courseWithOutline("Unix"));
    const admin = principal("admin");
    const revoked = await progress.request<CertificateView>("POST", `/api/progress/certificates/${view.id}/revoke`, {
      as: admin,
      body: { reason: "  Issued in error  " },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: view.id, revoked: true, revokedReason: "Issued in error" });
    expect(Date.parse(revoked.body.revokedAt ?? "")).toBeGreaterThan(0);

    const shown = await progress.request<CertificateView>("GET", `/api/progress/certificates/${view.id}`);
    expect(shown.body).toEqual({
      ...view,
      revoked: true,
      revokedAt: revoked.body.revokedAt,
      revokedReason: "Issued in error",
    });

    const again = await progress.request<CertificateView>("POST", `/api/progress/certificates/${view.id}/revoke`, {
      as: admin,
      body: { reason: "Another reason" },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ revokedAt: revoked.body.revokedAt, revokedReason: "Issued in error" });
  });

  it("refuses a revocation without a reason (400, naming the field) and of an unknown certificate (404)", async () => {
    const view = await issued(learnerNamed("Niklaus Wirth"), await courseWithOutline("Pascal"));
    const admin = principal("admin");
    const unstorable = [{ reason: "nul \u0000 inside" }, { reason: "lone \ud800 surrogate" }];
    for (const body of [{}, { reason: "   " }, { reason: "x".repeat(501) }, { reason: 42 }, ...unstorable]) {
      const refused = await progress.request<{ errors: { path: string }[] }>(
        "POST",
        `/api/progress/certificates/${view.id}/revoke`,
        { as: admin, body },
      );
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.errors.map((error) => error.path)).toEqual(["json.reason"]);
    }
    const unknown = await progress.request("POST", `/api/progress/certificates/${uuidv7()}/revoke`, {
      as: admin,
      body: { reason: "Not ours" },
    });
    expect(unknown.status).toBe(404);
    expect((await certificateRows(principal().userId)).length).toBe(0);
    expect((await progress.request<CertificateView>("GET", `/api/progress/certificates/${view.id}`)).body.revoked).toBe(
      false,
    );
  });

  it("permission matrix: the page is public, the list needs a sign-in, revocation is for admins (before validation)", async () => {
    const view = await issued(learnerNamed("Frances Allen"), await courseWithOutline("Optimising Compilers"));
    const callers = {
      anonymous: undefined,
      learner: principal("learner"),
      instructor: principal("instructor"),
      admin: principal("admin"),
    };
    const revoke = `/api/progress/certificates/${view.id}/revoke`;
    await expectPermissionMatrix({
      callers: ["anonymous", "learner", "instructor", "admin"] as const,
      rows: [
        {
          request: { method: "GET", path: `/api/progress/certificates/${view.id}` },
          expect: { anonymous: 200, learner: 200, instructor: 200, admin: 200 },
        },
        {
          request: { method: "GET", path: "/api/progress/certificates" },
          expect: { anonymous: 401, learner: 200, instructor: 200, admin: 200 },
        },
        // Who before what: a caller who may not revoke learns only that, whatever the body.
        {
          request: { method: "POST", path: revoke, body: { reason: "" } },
          expect: { anonymous: 401, learner: 403, instructor: 403, admin: 400 },
        },
        {
          request: { method: "POST", path: revoke, body: { reason: "Fraud" } },
          expect: { anonymous: 401, learner: 403, instructor: 403, admin: 200 },
        },
      ],
      send: (request, caller) =>
        progress.request(request.method, request.path, { as: callers[caller], body: request.body }),
    });
    // Only the admin's revocation took effect.
    const { rows } = await sql.query("select revoked_reason from progress.certificates where id = $1", [view.id]);
    expect(rows).toEqual([{ revoked_reason: "Fraud" }]);
  });
});
