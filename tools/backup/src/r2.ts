import { readFileSync, writeFileSync } from "node:fs";
import { AwsClient } from "aws4fetch";
import { BackupError } from "./errors.ts";

/**
 * Where backups go in R2, through its S3-compatible API (SigV4 signing by aws4fetch). From the
 * environment: BACKUP_R2_ACCOUNT_ID (or BACKUP_R2_ENDPOINT, for another S3-compatible store), BACKUP_R2_BUCKET,
 * BACKUP_R2_ACCESS_KEY_ID, BACKUP_R2_SECRET_ACCESS_KEY (an R2 API token for that bucket only), BACKUP_R2_PREFIX.
 * Named apart from the courses worker's R2_* media settings: backups belong in their own bucket.
 */
export interface R2Settings {
  readonly endpoint: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly prefix: string;
}

const NAMES = ["BACKUP_R2_BUCKET", "BACKUP_R2_ACCESS_KEY_ID", "BACKUP_R2_SECRET_ACCESS_KEY"] as const;

/** The settings, or null when none is given; a partial set is an error naming what is missing (never a value). */
export function r2SettingsFrom(env: NodeJS.ProcessEnv): R2Settings | null {
  const given = [...NAMES, "BACKUP_R2_ACCOUNT_ID", "BACKUP_R2_ENDPOINT"].filter((name) => env[name]);
  if (given.length === 0) return null;
  const missing: string[] = NAMES.filter((name) => !env[name]);
  if (!env.BACKUP_R2_ACCOUNT_ID && !env.BACKUP_R2_ENDPOINT)
    missing.push("BACKUP_R2_ACCOUNT_ID (or BACKUP_R2_ENDPOINT)");
  if (missing.length > 0) throw new BackupError(`R2 settings are incomplete: set ${missing.join(", ")}.`);
  const endpoint = env.BACKUP_R2_ENDPOINT ?? `https://${env.BACKUP_R2_ACCOUNT_ID}.r2.cloudflarestorage.com`;
  return {
    endpoint: endpoint.replace(/\/+$/, ""),
    bucket: env.BACKUP_R2_BUCKET ?? "",
    accessKeyId: env.BACKUP_R2_ACCESS_KEY_ID ?? "",
    secretAccessKey: env.BACKUP_R2_SECRET_ACCESS_KEY ?? "",
    prefix: env.BACKUP_R2_PREFIX ?? "backups/",
  };
}

function clientFor(settings: R2Settings): AwsClient {
  // R2 takes "auto" as its region; the signature must name one.
  return new AwsClient({
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
    service: "s3",
    region: "auto",
  });
}

function objectUrl(settings: R2Settings, key: string): string {
  const path = key.split("/").map(encodeURIComponent).join("/");
  return `${settings.endpoint}/${encodeURIComponent(settings.bucket)}/${path}`;
}

/**
 * Uploads a backup file as one object (a single PUT takes up to 5 GiB on R2; far above this
 * platform's logical backups) and answers its key.
 */
export async function uploadToR2(settings: R2Settings, file: string, name: string): Promise<string> {
  const key = `${settings.prefix}${name}`;
  const response = await clientFor(settings).fetch(objectUrl(settings, key), {
    method: "PUT",
    body: readFileSync(file),
    headers: { "content-type": "application/gzip" },
  });
  if (!response.ok) {
    throw new BackupError(`R2 refused the upload of ${key}: ${response.status} ${await briefly(response)}`);
  }
  return key;
}

/** Downloads a backup object to a local file, for a restore. */
export async function downloadFromR2(settings: R2Settings, key: string, file: string): Promise<void> {
  const response = await clientFor(settings).fetch(objectUrl(settings, key));
  if (!response.ok) {
    throw new BackupError(`R2 did not give ${key}: ${response.status} ${await briefly(response)}`);
  }
  writeFileSync(file, new Uint8Array(await response.arrayBuffer()));
}

/** The start of an S3 error document: enough to tell NoSuchKey from AccessDenied. */
async function briefly(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  return text.match(/<Code>([^<]+)<\/Code>/)?.[1] ?? response.statusText;
}
