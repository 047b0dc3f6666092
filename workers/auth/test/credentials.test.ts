import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
} from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { CREDENTIAL_JWT_TYPE, type UnsignedCredential } from "@platform/contracts";
import { verifyAccessToken } from "../src/access-tokens.ts";
import { MAX_CREDENTIAL_BYTES, signCredential } from "../src/credentials.ts";
import { signingKeys } from "../src/signing-keys.ts";

/**
 * The auth worker's credential signer on its own: what it signs, the claims it derives, and
 * everything it refuses to sign with the key that also signs access tokens. Over a real service
 * binding, and against the gateway, in workers/progress/test/certificates.platform.test.ts.
 */
const ISSUER = "https://learn.example.test";
let privateKeys: string;
let jwks: JSONWebKeySet;

beforeAll(async () => {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  privateKeys = JSON.stringify([{ ...(await exportJWK(privateKey)), kid: "test-key-1" }]);
  jwks = { keys: [...(await signingKeys(privateKeys)).publicJwks] as JWK[] };
});

const settings = () => ({ privateKeys, issuer: ISSUER });

function credential(overrides: Record<string, unknown> = {}): UnsignedCredential {
  return {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    id: "urn:uuid:0199a3c4-0000-7000-8000-000000000001",
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer: { type: ["Profile"], name: "Edge Learning" },
    validFrom: "2025-06-01T10:00:00.000Z",
    credentialSubject: { id: "urn:uuid:0199a3c4-0000-7000-8000-000000000002", type: ["AchievementSubject"] },
    ...overrides,
  };
}

async function signed(unsigned: UnsignedCredential): Promise<string> {
  const result = await signCredential(settings(), unsigned);
  if (!result.ok) throw new Error(`refused: ${result.code}`);
  return result.value.jwt;
}

describe("signing a credential", () => {
  it("signs the credential as the payload, with the issuer set and the JWT claims mirroring it", async () => {
    const result = await signCredential(settings(), credential());
    expect(result).toMatchObject({ ok: true, value: { issuer: ISSUER, kid: "test-key-1" } });
    const jwt = result.ok ? result.value.jwt : "";
    // Open Badges 3.0 allows no JOSE header beyond alg, kid and typ.
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "EdDSA", kid: "test-key-1", typ: CREDENTIAL_JWT_TYPE });
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { typ: CREDENTIAL_JWT_TYPE, issuer: ISSUER });
    expect(payload).toEqual({
      ...credential(),
      issuer: { id: ISSUER, type: ["Profile"], name: "Edge Learning" },
      iss: ISSUER,
      jti: "urn:uuid:0199a3c4-0000-7000-8000-000000000001",
      sub: "urn:uuid:0199a3c4-0000-7000-8000-000000000002",
      nbf: Date.parse("2025-06-01T10:00:00.000Z") / 1000,
    });
    // Nothing an access token needs: no audience, no expiry, no issued-at.
    expect(payload).not.toHaveProperty("aud");
    expect(payload).not.toHaveProperty("exp");
  });

  it("turns validUntil into exp, and accepts the issuer's own id in the profile", async () => {
    const jwt = await signed(
      credential({
        validUntil: "2030-01-01T00:00:00Z",
        issuer: { id: ISSUER, type: ["Profile"], name: "Edge Learning" },
      }),
    );
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { currentDate: new Date("2027-01-01") });
    expect(payload.exp).toBe(Date.parse("2030-01-01T00:00:00Z") / 1000);
  });

  it("is refused by the access-token check (the one validateToken and the gateway make)", async () => {
    const jwt = await signed(credential());
    const check = await verifyAccessToken({ privateKeys, issuer: ISSUER, audience: "edge-learning-api" }, jwt);
    expect(check).toEqual({ ok: false, code: "invalid_token" });
  });
});

describe("what the signer refuses (invalid_credential)", () => {
  const refusals: [string, UnsignedCredential][] = [
    ["no VC 2.0 context first", credential({ "@context": ["https://www.w3.org/2018/credentials/v1"] })],
    ["a type without VerifiableCredential", credential({ type: ["OpenBadgeCredential"] })],
    ["an id that is not a URI", credential({ id: "certificate-1" })],
    ["an audience", credential({ aud: "edge-learning-api" })],
    ["an expiry of its own", credential({ exp: 4_000_000_000 })],
    ["an issuer claim of its own", credential({ iss: "https://evil.example" })],
    ["roles, as an access token carries", credential({ roles: ["admin"] })],
    ["a session epoch", credential({ session_epoch: 0 })],
    ["another issuer's id", credential({ issuer: { id: "https://evil.example", type: ["Profile"], name: "Evil" } })],
    ["an issuer without a name", credential({ issuer: { type: ["Profile"] } })],
    ["a subject without an id", credential({ credentialSubject: { type: ["AchievementSubject"] } })],
    ["a validFrom with milliseconds (nbf could not equal it)", credential({ validFrom: "2025-06-01T10:00:00.123Z" })],
    ["a validFrom that is not a date", credential({ validFrom: "yesterday" })],
    ["a malformed validUntil", credential({ validUntil: "soon" })],
    ["an oversized credential", credential({ name: "x".repeat(MAX_CREDENTIAL_BYTES) })],
  ];

  it.each(refusals)("%s", async (_why, unsigned) => {
    expect(await signCredential(settings(), unsigned)).toEqual({ ok: false, code: "invalid_credential" });
  });

  it("refuses what is not an object at all", async () => {
    for (const value of [null, "a string", ["an", "array"]]) {
      expect(await signCredential(settings(), value as unknown as UnsignedCredential)).toEqual({
        ok: false,
        code: "invalid_credential",
      });
    }
  });
});
