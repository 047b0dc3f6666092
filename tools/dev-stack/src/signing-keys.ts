import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { ensurePrivateDir, writePrivateFile } from "./private-files.ts";

/**
 * The local stack's access-token signing key: generated once per data folder and kept there
 * (git-ignored), so tokens survive a restart. Production keys are a Cloudflare secret.
 */
export async function generateSigningKey(kid: string): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: "EdDSA" };
}

export async function localSigningKeys(file: string): Promise<string> {
  if (existsSync(file)) return readFileSync(file, "utf8");
  ensurePrivateDir(dirname(file));
  const keys = JSON.stringify([await generateSigningKey(`local-${new Date().toISOString().slice(0, 10)}`)]);
  writePrivateFile(file, keys);
  return keys;
}

/**
 * The secret the Kafka bridge signs integrators' events with and the events worker checks:
 * generated once per data folder, like the signing key.
 */
export function localInboundEventsSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  ensurePrivateDir(dirname(file));
  const secret = randomBytes(32).toString("base64url");
  writePrivateFile(file, secret);
  return secret;
}

/**
 * The Stripe webhook secret the payments worker's sandbox signs its own webhooks with under
 * `npm start` (a real Stripe account brings its own: STRIPE_WEBHOOK_SECRET).
 */
export function localStripeWebhookSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  ensurePrivateDir(dirname(file));
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  writePrivateFile(file, secret);
  return secret;
}

/**
 * The key the auth worker encrypts OpenID providers' client secrets with (`OIDC_SECRETS_KEY`,
 * base64 of 32 bytes): generated once per data folder, like the signing key, so providers added
 * locally still sign in after a restart.
 */
export function localOidcSecretsKey(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  ensurePrivateDir(dirname(file));
  const key = randomBytes(32).toString("base64");
  writePrivateFile(file, key);
  return key;
}
