import { SignJWT, base64url, importJWK, type CryptoKey, type JWK } from "jose";
import * as oauth from "oauth4webapi";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { api, gatewayUrl, registerAndLogin } from "../../../test/support/api.ts";

/**
 * The gateway's bearer check, attacked the ways JWT verifiers are known to fail. Each forged
 * token is presented to a route that needs a signed-in user and changes nothing
 * (`GET /api/payments/me`): a valid token gets 200, every forgery must get 401 problem+json.
 * (Not logout-all: that ends the user's sessions, and with them every token signed here.)
 */
const [active, previous] = JSON.parse(inject("signingKeys")) as [JWK & { kid: string }, JWK & { kid: string }];
const AUDIENCE = "edge-learning-api";
const now = () => Math.floor(Date.now() / 1000);

let activeKey: CryptoKey;
let previousKey: CryptoKey;
let realToken: string;
let userId: string;

beforeAll(async () => {
  activeKey = (await importJWK(active, "EdDSA")) as CryptoKey;
  previousKey = (await importJWK(previous, "EdDSA")) as CryptoKey;
  const session = await registerAndLogin("tokens");
  realToken = session.tokens.accessToken;
  userId = session.userId;
});

interface Forgery {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  key?: CryptoKey;
}

async function sign({ header = {}, claims = {}, key = activeKey }: Forgery = {}): Promise<string> {
  const iat = now();
  return new SignJWT({ roles: ["learner"], client_id: "edge-learning", ...claims })
    .setProtectedHeader({ alg: "EdDSA", kid: active.kid, typ: "at+jwt", ...header } as never)
    .setSubject(String(claims.sub ?? userId))
    .setIssuer(String(claims.iss ?? gatewayUrl))
    .setAudience(String(claims.aud ?? AUDIENCE))
    .setIssuedAt(Number(claims.iat ?? iat))
    .setExpirationTime(Number(claims.exp ?? iat + 600))
    .setJti(crypto.randomUUID())
    .sign(key);
}

function encodeSegment(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}

async function presented(token: string) {
  return api("GET", "/api/payments/me", { token });
}

describe("access tokens the gateway accepts", () => {
  it("a token from login, and one we sign the same way", async () => {
    expect((await presented(realToken)).status).toBe(200);
    expect((await presented(await sign())).status).toBe(200);
  });

  it("a token living exactly the configured access-token lifetime (15 minutes)", async () => {
    const iat = now();
    expect((await presented(await sign({ claims: { iat, exp: iat + 15 * 60 } }))).status).toBe(200);
  });

  it("a token signed by the previous key while a rotation publishes both", async () => {
    const jwks = (await (await fetch(`${gatewayUrl}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    expect(jwks.keys.map((key) => key.kid)).toEqual([active.kid, previous.kid]);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
    const token = await sign({ header: { kid: previous.kid }, key: previousKey });
    expect((await presented(token)).status).toBe(200);
  });
});

describe("access tokens the gateway rejects with 401", () => {
  const cases: [string, () => Promise<string>][] = [
    [
      "alg: none",
      async () => `${encodeSegment({ alg: "none", kid: active.kid, typ: "at+jwt" })}.${(await sign()).split(".")[1]}.`,
    ],
    [
      "HS256 signed with our public key as the HMAC secret",
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify({ kty: active.kty, crv: active.crv, x: active.x }));
        return new SignJWT({ roles: ["admin"], client_id: "edge-learning" })
          .setProtectedHeader({ alg: "HS256", kid: active.kid, typ: "at+jwt" })
          .setSubject(userId)
          .setIssuer(gatewayUrl)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime("10m")
          .setJti(crypto.randomUUID())
          .sign(secret);
      },
    ],
    ["a wrong issuer", () => sign({ claims: { iss: "https://evil.example" } })],
    ["a wrong audience", () => sign({ claims: { aud: "another-api" } })],
    ["an expired token (beyond the 30 s skew)", () => sign({ claims: { iat: now() - 3600, exp: now() - 120 } })],
    ["nbf in the future", () => sign({ claims: { nbf: now() + 600 } })],
    ["an unknown kid", () => sign({ header: { kid: "not-a-key-of-ours" } })],
    ["no kid at all", () => sign({ header: { kid: undefined } })],
    ["a truncated signature", async () => (await sign()).slice(0, -6)],
    [
      "a changed payload (roles raised to admin)",
      async () => {
        const [header, body, signature] = (await sign()).split(".");
        const claims = JSON.parse(new TextDecoder().decode(base64url.decode(body ?? ""))) as Record<string, unknown>;
        const payload = { ...claims, roles: ["admin"] };
        return `${header}.${encodeSegment(payload)}.${signature}`;
      },
    ],
    [
      "a token signed by a key we never published",
      async () => {
        const { generateKeyPair } = await import("jose");
        const stranger = await generateKeyPair("EdDSA", { crv: "Ed25519" });
        return sign({ key: stranger.privateKey });
      },
    ],
    ["a role we do not have", () => sign({ claims: { roles: ["superuser"] } })],
    [
      "a correctly signed token with a 10-year lifetime",
      () => sign({ claims: { iat: now(), exp: now() + 10 * 365 * 24 * 3600 } }),
    ],
    ["a lifetime one second longer than 15 minutes", () => sign({ claims: { iat: now(), exp: now() + 15 * 60 + 1 } })],
    ["a session epoch that is not a number", () => sign({ claims: { session_epoch: "9" } })],
  ];

  it.each(cases)("%s", async (_name, forge) => {
    const response = await presented(await forge());
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
  });

  it("a header that is not `Bearer <jwt>`", async () => {
    const response = await api("POST", "/api/auth/logout-all", { headers: { authorization: `Basic ${btoa("a:b")}` } });
    expect(response.status).toBe(401);
  });

  it("a client trying to pass as a user by sending the gateway's internal headers", async () => {
    const response = await api("POST", "/api/auth/logout-all", {
      headers: { "x-platform-user-id": userId, "x-platform-roles": "admin" },
    });
    expect(response.status).toBe(401);
  });
});

describe("a standard OAuth/OIDC client library (oauth4webapi)", () => {
  it("reads our discovery document and verifies our access token against our JWKS (RFC 9068)", async () => {
    const issuer = new URL(gatewayUrl);
    const discovery = await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true });
    const as = await oauth.processDiscoveryResponse(issuer, discovery);
    expect(as.jwks_uri).toBe(`${gatewayUrl}/.well-known/jwks.json`);
    const request = new Request(`${gatewayUrl}/anything`, { headers: { authorization: `Bearer ${realToken}` } });
    const claims = await oauth.validateJwtAccessToken(as, request, AUDIENCE, { [oauth.allowInsecureRequests]: true });
    expect(claims.sub).toBe(userId);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(15 * 60);
  });
});
