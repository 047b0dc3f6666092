import {
  base64url,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AuthRpc, UnsignedCredential } from "@platform/contracts";
import { api, gatewayUrl } from "../../../test/support/api.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { emitAs } from "../../../test/support/outbox.ts";
import { admin, instructor, learner, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { bindTo } from "../../../test/support/service-binding.ts";

/**
 * Certificates on the whole stack: a learner completes a free course through the API, the
 * progress worker consumes its own COURSE_COMPLETED and has the real auth worker sign the Open
 * Badges credential; the certificate is then checked as a stranger would, offline, with jose
 * and the JWKS the gateway publishes, and nothing else. The credential is also presented where
 * an access token goes, and must be refused there.
 */
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

let connection: Awaited<ReturnType<typeof bindTo<AuthRpc>>> | undefined;
let auth: AuthRpc;
let jwks: JSONWebKeySet;
/** What a verifier with nothing but the published JWKS has: no call to our API or database. */
let keys: JWTVerifyGetKey;

beforeAll(async () => {
  connection = await bindTo<AuthRpc>("platform-auth");
  auth = connection.binding;
  const published = await fetch(`${gatewayUrl}/.well-known/jwks.json`);
  expect(published.status).toBe(200);
  jwks = (await published.json()) as JSONWebKeySet;
  keys = createLocalJWKSet(jwks);
});
afterAll(() => connection?.dispose());

const verifyOffline = (jwt: string) =>
  jwtVerify(jwt, keys, { algorithms: ["EdDSA"], typ: "vc+jwt", issuer: gatewayUrl });

function unsigned(overrides: Record<string, unknown> = {}): UnsignedCredential {
  return {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    id: `urn:uuid:${crypto.randomUUID()}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer: { type: ["Profile"], name: "Edge Learning" },
    validFrom: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
    credentialSubject: { id: `urn:uuid:${crypto.randomUUID()}`, type: ["AchievementSubject"] },
    ...overrides,
  };
}

describe("AUTH.signCredential over a service binding", () => {
  it("signs with the active key: the credential verifies with jose against the published JWKS alone", async () => {
    const signed = await auth.signCredential(unsigned());
    expect(signed).toMatchObject({ ok: true, value: { issuer: gatewayUrl, kid: jwks.keys[0]?.kid } });
    const jwt = signed.ok ? signed.value.jwt : "";
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "EdDSA", kid: jwks.keys[0]?.kid, typ: "vc+jwt" });
    const { payload } = await verifyOffline(jwt);
    expect(payload).toMatchObject({ iss: gatewayUrl, issuer: { id: gatewayUrl } });
    expect(payload).not.toHaveProperty("aud");
  });

  it("a credential is never an access token: the gateway answers 401 and validateToken says invalid_token", async () => {
    const signed = await auth.signCredential(unsigned());
    const jwt = signed.ok ? signed.value.jwt : "";
    const presented = await api("GET", "/api/payments/me", { token: jwt });
    expect(presented.status).toBe(401);
    expect(presented.headers.get("content-type")).toContain("application/problem+json");
    expect(await auth.validateToken(jwt)).toEqual({ ok: false, code: "invalid_token" });
  });

  it("refuses to sign what could pass for something else: an audience, roles, another issuer", async () => {
    for (const overrides of [
      { aud: "edge-learning-api" },
      { roles: ["admin"] },
      { issuer: { id: "https://evil.example", type: ["Profile"], name: "Evil" } },
    ]) {
      expect(await auth.signCredential(unsigned(overrides))).toEqual({ ok: false, code: "invalid_credential" });
    }
  });
});

describe("a completed course's certificate", () => {
  let student: Person;
  let author: Person;
  let course: CourseBody;
  let certificate: CertificateView;

  beforeAll(async () => {
    author = await instructor("certs-author");
    student = await learner("certs");
    course = await publishedCourse(author, { title: "Verifiable Things" });
    expect((await api("POST", `/api/courses/${course.id}/enroll`, { token: student.token })).status).toBe(201);
    const outline = await api<{ lessons: { id: string }[] }>("GET", `/api/courses/${course.id}/lessons`, {
      token: student.token,
    });
    expect(outline.status).toBe(200);
    for (const lesson of outline.body.lessons) {
      const done = await api("POST", `/api/progress/lessons/${lesson.id}`, {
        token: student.token,
        body: { event: "completed" },
      });
      expect(done.status).toBe(200);
    }
    // COURSE_COMPLETED goes through the outbox and the Queue back to progress, which issues.
    const mine = await vi.waitFor(async () => {
      const listed = await api<{ items: CertificateView[] }>("GET", "/api/progress/certificates", {
        token: student.token,
      });
      expect(listed.body.items).toHaveLength(1);
      return listed;
    }, ASYNC_EFFECTS);
    certificate = mine.body.items[0] as CertificateView;
  });

  it("is public: anyone can read who completed which course, when, with the signed credential", async () => {
    const shown = await api<CertificateView>("GET", `/api/progress/certificates/${certificate.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      id: certificate.id,
      // registerAndLogin names each person `User <tag>` (test/support/api.ts).
      learnerName: "User certs",
      course: { id: course.id, title: "Verifiable Things" },
      revoked: false,
      credential: { format: "vc+jwt" },
    });
    const { rows } = await db.query("select completed_at from progress.course_progress where user_id = $1", [
      student.userId,
    ]);
    expect(new Date(shown.body.completedAt)).toEqual(rows[0]?.completed_at);
  });

  it("verifies offline against the JWKS alone, and says what the page says", async () => {
    const { payload, protectedHeader } = await verifyOffline(certificate.credential.jwt);
    expect(jwks.keys.map((key) => key.kid)).toContain(protectedHeader.kid);
    expect(payload).toMatchObject({
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      id: `urn:uuid:${certificate.id}`,
      jti: `urn:uuid:${certificate.id}`,
      sub: `urn:uuid:${student.userId}`,
      validFrom: certificate.issuedAt,
      credentialSubject: {
        type: ["AchievementSubject"],
        activityEndDate: certificate.completedAt,
        identifier: [{ identityType: "name", hashed: false, identityHash: "User certs" }],
        achievement: { id: `urn:uuid:${course.id}`, name: "Verifiable Things", type: ["Achievement"] },
      },
    });
  });

  it("a tampered credential fails verification", async () => {
    const [header, , signature] = certificate.credential.jwt.split(".") as [string, string, string];
    const claims = decodeJwt(certificate.credential.jwt) as { credentialSubject: { achievement: { name: string } } };
    claims.credentialSubject.achievement.name = "Brain Surgery";
    const forged = `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
    await expect(verifyOffline(forged)).rejects.toMatchObject({ code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
  });

  it("is issued once: COURSE_COMPLETED delivered again changes nothing", async () => {
    const again = await emitAs("progress", "COURSE_COMPLETED", {
      userId: student.userId,
      courseId: course.id,
      completedAt: certificate.completedAt,
    });
    await expect
      .poll(
        async () =>
          // The router confirms an event to its outbox once every subscriber (progress itself) applied it.
          (await db.query("select 1 from progress.outbox where id = $1 and confirmed_at is not null", [again.id]))
            .rowCount,
        { ...ASYNC_EFFECTS, message: "the second COURSE_COMPLETED delivered" },
      )
      .toBeGreaterThan(0);
    const { rows } = await db.query("select id from progress.certificates where user_id = $1", [student.userId]);
    expect(rows.map((row) => row.id)).toEqual([certificate.id]);
  });

  it("revoked by an admin, its public page says so; a learner cannot revoke", async () => {
    const path = `/api/progress/certificates/${certificate.id}/revoke`;
    expect((await api("POST", path, { token: student.token, body: { reason: "Mine" } })).status).toBe(403);
    const someAdmin = await admin("certs-admin");
    const revoked = await api<CertificateView>("POST", path, {
      token: someAdmin.token,
      body: { reason: "Completed on a shared account" },
    });
    expect(revoked.status).toBe(200);
    const shown = await api<CertificateView>("GET", `/api/progress/certificates/${certificate.id}`);
    expect(shown.body).toMatchObject({ revoked: true, revokedReason: "Completed on a shared account" });
    // The credential itself is unchanged (it still verifies): revocation is what the page says.
    expect(shown.body.credential.jwt).toBe(certificate.credential.jwt);
  });

  it("its course's analytics count the completion, for the author only", async () => {
    const figures = await api<{ enrolled: number; completed: number; lessons: { reached: number }[] }>(
      "GET",
      `/api/progress/courses/${course.id}/analytics`,
      { token: author.token },
    );
    expect(figures.status).toBe(200);
    expect(figures.body).toMatchObject({ enrolled: 1, completed: 1, completionRate: 1 });
    expect(figures.body.lessons.map((lesson) => lesson.reached)).toEqual([1, 1, 1]);
    const stranger = await instructor("certs-stranger");
    expect((await api("GET", `/api/progress/courses/${course.id}/analytics`, { token: stranger.token })).status).toBe(
      403,
    );
    expect((await api("GET", `/api/progress/courses/${course.id}/analytics`, { token: student.token })).status).toBe(
      403,
    );
  });
});
