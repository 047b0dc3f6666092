import { signIntegratorEvent } from "@platform/events";
import { api } from "./api.ts";
import { admin } from "./people.ts";

/** An integrator registered on the started stack, holding its own Ed25519 private key as a real one would. */
export interface TestIntegrator {
  readonly id: string;
  readonly name: string;
  /** The value of the `x-integrator-signature` header (a Kafka header on the inbound topic) for this body. */
  sign(rawBody: string, nowSeconds?: number): Promise<string>;
}

/** Registers an integrator through the admin API, with a fresh key pair and a unique name. */
export async function registerIntegrator(
  tag: string,
  options: { courses?: "all" | string[] } = {},
): Promise<TestIntegrator> {
  const keys = (await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as CryptoKeyPair;
  const { kty, crv, x } = await crypto.subtle.exportKey("jwk", keys.publicKey);
  const name = `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const answer = await api<{ id: string; name: string }>("POST", "/api/events/integrators", {
    token: (await admin(`integrators-${tag}`)).token,
    body: { name, publicKey: { kty, crv, x }, eventTypes: ["ENROLLMENT_REQUESTED"], courses: options.courses ?? "all" },
  });
  if (answer.status !== 201) throw new Error(`registering integrator ${name} answered ${answer.status}`);
  const { id } = answer.body;
  return { id, name, sign: (rawBody, nowSeconds) => signIntegratorEvent(keys.privateKey, id, rawBody, nowSeconds) };
}
