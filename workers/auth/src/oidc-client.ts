import * as oauth from "oauth4webapi";

/** A provider as the sign-in flow needs it. */
export interface SignInProvider {
  readonly slug: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string | null;
}

/** Plain http is allowed only for a provider on this machine (local development and tests). */
export function insecureAllowed(issuer: string): boolean {
  const { protocol, hostname } = new URL(issuer);
  return protocol === "http:" && (hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]");
}

function options(issuer: string) {
  return { [oauth.allowInsecureRequests]: insecureAllowed(issuer) };
}

const discovered = new Map<string, Promise<oauth.AuthorizationServer>>();

/** The provider's metadata from its discovery document, kept per isolate. */
export function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  let metadata = discovered.get(issuer);
  if (!metadata) {
    const url = new URL(issuer);
    metadata = oauth
      .discoveryRequest(url, options(issuer))
      .then((response) => oauth.processDiscoveryResponse(url, response));
    metadata.catch(() => discovered.delete(issuer));
    discovered.set(issuer, metadata);
  }
  return metadata;
}

export interface SignInStart {
  readonly url: URL;
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

/** The authorization-code request with PKCE (S256), a state and a nonce. */
export async function authorizationUrl(provider: SignInProvider, redirectUri: string): Promise<SignInStart> {
  const as = await discover(provider.issuer);
  if (!as.authorization_endpoint) throw new Error(`${provider.issuer} has no authorization endpoint`);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set("client_id", provider.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", "openid email profile");
  url.searchParams.set("state", state);
  url.searchParams.set("nonce", nonce);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  return { url, state, nonce, verifier };
}

/**
 * Checks the provider's answer (state, `iss` where sent), redeems the code with the PKCE
 * verifier and validates the ID token (signature, issuer, audience, expiry, nonce).
 */
export async function completeSignIn(
  provider: SignInProvider,
  callbackUrl: URL,
  redirectUri: string,
  expected: { state: string; nonce: string; verifier: string },
): Promise<oauth.IDToken> {
  const as = await discover(provider.issuer);
  const client: oauth.Client = { client_id: provider.clientId };
  const authentication = provider.clientSecret ? oauth.ClientSecretBasic(provider.clientSecret) : oauth.None();
  const parameters = oauth.validateAuthResponse(as, client, callbackUrl, expected.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    authentication,
    parameters,
    redirectUri,
    expected.verifier,
    options(provider.issuer),
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: expected.nonce,
    requireIdToken: true,
  });
  const claims = oauth.getValidatedIdTokenClaims(result);
  if (!claims) throw new Error("no ID token");
  return claims;
}
