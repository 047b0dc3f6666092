import {
  isSealed,
  isSealedWithCurrentKey as isSealedWithCurrentKeyOf,
  openSecret as openSecretWith,
  sealSecret as sealSecretWith,
  SecretKeyError,
} from "@platform/http-kit";

/**
 * The auth service's secrets at rest (an OpenID provider's client secret), sealed with the keys in
 * `OIDC_SECRETS_KEY` by the platform's secret box (packages/http-kit/src/secret-box.ts, which says
 * how the keys rotate and what a sealed value looks like).
 */
const setting = (keyText: string | undefined) => ({ name: "OIDC_SECRETS_KEY", value: keyText });

export { isSealed, SecretKeyError };

export const isSealedWithCurrentKey = (keyText: string | undefined, stored: string): Promise<boolean> =>
  isSealedWithCurrentKeyOf(setting(keyText), stored);

export const sealSecret = (keyText: string | undefined, plaintext: string, context: string): Promise<string> =>
  sealSecretWith(setting(keyText), plaintext, context);

export const openSecret = (keyText: string | undefined, stored: string, context: string): Promise<string> =>
  openSecretWith(setting(keyText), stored, context);
