/**
 * AWS Signature Version 4 query-string presigning ("Authenticating Requests: Using Query
 * Parameters"), with Web Crypto only: R2's S3 endpoint accepts such URLs, so a browser can send
 * a part straight to R2 without the credentials and without the bytes passing through a Worker.
 * The payload is not signed (`UNSIGNED-PAYLOAD`, as for every presigned upload); extra signed
 * headers (e.g. `content-length`) bind the request to exactly those values.
 */
export interface SigV4Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** `auto` for R2. */
  readonly region: string;
  readonly service: string;
}

export interface PresignInput {
  readonly method: string;
  /** The request's URL without any X-Amz-* parameter; its path must already be in canonical (RFC 3986) form. */
  readonly url: URL;
  readonly credentials: SigV4Credentials;
  readonly signedAt: Date;
  /** 1 to 604,800 (a week), as S3 allows. */
  readonly expiresSeconds: number;
  /** Headers the client must send with exactly these values, besides `host`. */
  readonly headers?: Readonly<Record<string, string>>;
}

const encoder = new TextEncoder();

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, `!'()*` included. */
export function awsUriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Each segment of an object key encoded, slashes kept: the form S3 signs and serves. */
export function awsPath(segments: readonly string[]): string {
  return segments.map(awsUriEncode).join("/");
}

const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");

export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

async function hmac(key: BufferSource, data: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(data));
}

/** `20130524T000000Z`: ISO 8601 basic format, seconds precision, UTC. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([name, value]) => [awsUriEncode(name), awsUriEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

export async function signingKey(credentials: SigV4Credentials, day: string): Promise<ArrayBuffer> {
  const dateKey = await hmac(encoder.encode(`AWS4${credentials.secretAccessKey}`), day);
  const regionKey = await hmac(dateKey, credentials.region);
  const serviceKey = await hmac(regionKey, credentials.service);
  return hmac(serviceKey, "aws4_request");
}

/**
 * The day's signing key, derived once per isolate and day: an upload of a few GB hands out
 * hundreds of part URLs at once, and each then costs one hash and one HMAC instead of five.
 */
const derivedKeys = new Map<string, Promise<ArrayBuffer>>();
function cachedSigningKey(credentials: SigV4Credentials, day: string): Promise<ArrayBuffer> {
  const id = [credentials.accessKeyId, credentials.secretAccessKey, credentials.region, credentials.service, day].join(
    "\n",
  );
  let key = derivedKeys.get(id);
  if (!key) {
    if (derivedKeys.size >= 8) derivedKeys.clear();
    key = signingKey(credentials, day);
    derivedKeys.set(id, key);
  }
  return key;
}

/** The canonical request (exposed for tests against AWS's published example). */
export function canonicalRequest(method: string, url: URL, headers: ReadonlyMap<string, string>): string {
  const names = [...headers.keys()].sort();
  return [
    method,
    url.pathname,
    canonicalQuery(url.searchParams),
    names.map((name) => `${name}:${headers.get(name)?.trim().replace(/ +/g, " ")}\n`).join(""),
    names.join(";"),
    "UNSIGNED-PAYLOAD",
  ].join("\n");
}

/** The URL with its X-Amz-* query parameters and signature: valid for `expiresSeconds` from `signedAt`. */
export async function presignUrl(input: PresignInput): Promise<URL> {
  if (!Number.isInteger(input.expiresSeconds) || input.expiresSeconds < 1 || input.expiresSeconds > 604_800) {
    throw new RangeError("A presigned URL lives 1 to 604,800 seconds.");
  }
  const { credentials } = input;
  const timestamp = amzDate(input.signedAt);
  const day = timestamp.slice(0, 8);
  const scope = `${day}/${credentials.region}/${credentials.service}/aws4_request`;
  const headers = new Map<string, string>([["host", input.url.host]]);
  for (const [name, value] of Object.entries(input.headers ?? {})) headers.set(name.toLowerCase(), value);

  const url = new URL(input.url);
  url.searchParams.set("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
  url.searchParams.set("X-Amz-Credential", `${credentials.accessKeyId}/${scope}`);
  url.searchParams.set("X-Amz-Date", timestamp);
  url.searchParams.set("X-Amz-Expires", String(input.expiresSeconds));
  url.searchParams.set("X-Amz-SignedHeaders", [...headers.keys()].sort().join(";"));

  const stringToSign = [
    "AWS4-HMAC-SHA256",
    timestamp,
    scope,
    await sha256Hex(canonicalRequest(input.method, url, headers)),
  ].join("\n");
  const signature = hex(await hmac(await cachedSigningKey(credentials, day), stringToSign));
  // The query is rebuilt in canonical form so the URL sent is byte for byte the one signed.
  url.search = `${canonicalQuery(url.searchParams)}&X-Amz-Signature=${signature}`;
  return url;
}
