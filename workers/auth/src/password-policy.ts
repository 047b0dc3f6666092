// The zxcvbn-ts common-password dictionary (≈49,000 entries, ranked), shipped compressed.
import commonPasswords from "@zxcvbn-ts/language-common/dist/passwords.json.mjs";

/**
 * NIST SP 800-63B style: length decides, not composition. At least 8 characters, up to 128 (so
 * a passphrase fits, while the KDF's input stays bounded), and never one of the passwords
 * attackers try first.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

let commonSet: Set<string> | undefined;

/** Built on first use: only entries that pass the length rule can matter, about 18,000 of them. */
function common(): Set<string> {
  commonSet ??= new Set((commonPasswords as readonly string[]).filter((entry) => entry.length >= PASSWORD_MIN_LENGTH));
  return commonSet;
}

export function commonPasswordCount(): number {
  return common().size;
}

export type PasswordVerdict = { ok: true } | { ok: false; reason: string };

export function checkPassword(password: string, context: { email?: string; name?: string } = {}): PasswordVerdict {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return { ok: false, reason: `Use at least ${PASSWORD_MIN_LENGTH} characters.` };
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return { ok: false, reason: `Use at most ${PASSWORD_MAX_LENGTH} characters.` };
  }
  const lowered = password.toLowerCase();
  if (common().has(lowered)) {
    return { ok: false, reason: "This password is one of the most common ones and is easy to guess. Choose another." };
  }
  const localPart = context.email?.split("@")[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lowered === localPart) {
    return { ok: false, reason: "Do not use your email address as your password." };
  }
  return { ok: true };
}
