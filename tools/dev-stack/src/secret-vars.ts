import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensurePrivateDir, writePrivateFile } from "./private-files.ts";

/**
 * Which of a worker's local settings are secrets. They go to a `.dev.vars` file next to the
 * generated wrangler config (mode 0600), which wrangler binds as secrets and, unlike `[vars]`,
 * never prints: its start-up table shows `env.NAME ("(hidden)")` for them. Decided by name, so
 * a test's or a developer's extra setting (e.g. STRIPE_WEBHOOK_SECRET) is covered too; calling a
 * harmless setting a secret only hides it from the log.
 */
const SECRET_NAME = /SECRET|PASSWORD|PRIVATE_KEY|TOKEN|CREDENTIAL|_KEYS?$|^DATABASE_URL$/;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function splitSecrets(vars: Readonly<Record<string, unknown>>): {
  vars: Record<string, unknown>;
  secrets: Record<string, string>;
} {
  const plain: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) {
    if (typeof value === "string" && isSecretName(name)) secrets[name] = value;
    else plain[name] = value;
  }
  return { vars: plain, secrets };
}

/**
 * The `.dev.vars` text wrangler parses with dotenv. Single quotes keep a value literal (JSON
 * keys, `#`, `$`); a value that contains one takes backticks, then double quotes (which dotenv
 * would expand `\n` in, so only when there is no backslash).
 */
export function devVarsText(secrets: Readonly<Record<string, string>>): string {
  return Object.entries(secrets)
    .map(([name, value]) => {
      if (!/^[\w.-]+$/.test(name)) throw new Error(`${name} cannot be written to .dev.vars.`);
      const quote = ["'", "`", '"'].find(
        (candidate) => !value.includes(candidate) && (candidate !== '"' || !value.includes("\\")),
      );
      if (!quote) throw new Error(`The value of ${name} cannot be quoted for .dev.vars.`);
      return `${name}=${quote}${value}${quote}\n`;
    })
    .join("");
}

/** 32 random bytes (base64url) kept in a private file: made on first use, read back after. */
function randomSecretIn(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  ensurePrivateDir(dirname(file));
  const secret = randomBytes(32).toString("base64url");
  writePrivateFile(file, secret);
  return secret;
}

/**
 * The gateway's live-ticket key (`LIVE_TICKET_SECRET`, docs/live.md): generated once per data folder, like the
 * other local secrets, so tickets keep verifying across a restart of the workers.
 */
export function localLiveTicketSecret(file: string): string {
  return randomSecretIn(file);
}

/**
 * The bearer token the gateway's `/metrics` answers (`METRICS_TOKEN`, docs/observability.md#metrics), kept in a
 * private file that the compose Prometheus reads as its scrape credential (deploy/prometheus/prometheus.yml).
 */
export function localMetricsToken(file: string): string {
  return randomSecretIn(file);
}

/**
 * The courses worker's media-link key (`MEDIA_URL_SECRET`, docs/courses.md#signed-media-links): generated once
 * per data folder, so the links a player holds keep working across a restart of the workers until they expire.
 */
export function localMediaUrlSecret(file: string): string {
  return randomSecretIn(file);
}

/**
 * The notifications worker's keys (docs/notifications.md), generated once per data folder: the key one-click
 * unsubscribe links are signed with (`UNSUBSCRIBE_SECRET`), and the VAPID key pair Web Push messages are signed
 * with (`VAPID_PRIVATE_KEY`, an ES256 private JWK whose public half the site subscribes browsers with). Kept
 * across restarts: a browser's subscription is bound to the VAPID key it was made with.
 */
export function localNotificationSecrets(dir: string): { UNSUBSCRIBE_SECRET: string; VAPID_PRIVATE_KEY: string } {
  const unsubscribeFile = join(dir, "unsubscribe-secret");
  const vapidFile = join(dir, "vapid-private-key.json");
  ensurePrivateDir(dir);
  if (!existsSync(unsubscribeFile)) writePrivateFile(unsubscribeFile, randomBytes(32).toString("base64url"));
  if (!existsSync(vapidFile)) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    writePrivateFile(vapidFile, JSON.stringify({ ...privateKey.export({ format: "jwk" }), alg: "ES256" }));
  }
  return {
    UNSUBSCRIBE_SECRET: readFileSync(unsubscribeFile, "utf8").trim(),
    VAPID_PRIVATE_KEY: readFileSync(vapidFile, "utf8").trim(),
  };
}
