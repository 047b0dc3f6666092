import { expectedPartSize, partNumbers, type PartPlan } from "./part-plan.ts";
import { awsPath, presignUrl, type SigV4Credentials } from "./sigv4.ts";

/**
 * Where a browser sends each part. With R2 S3 credentials configured, a presigned UploadPart
 * URL: the bytes go straight to R2. Without them (local R2 has no S3 endpoint unless asked for,
 * and a deployment may not want API tokens in the Worker), the proxied route of this API, which
 * streams the part into R2 through the binding.
 */
export interface PartTarget {
  readonly partNumber: number;
  readonly sizeBytes: number;
  readonly method: "PUT";
  readonly url: string;
  /** Presigned URLs only: after this the client asks the upload again for fresh ones. */
  readonly expiresAt: string | null;
}

export interface S3Target {
  readonly endpoint: URL;
  readonly bucket: string;
  readonly credentials: SigV4Credentials;
}

/** Presigned part URLs live six hours: long enough for a 10 MiB part on any link, short if leaked. */
export const PRESIGNED_PART_SECONDS = 6 * 60 * 60;

/**
 * The optional S3 settings: R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, R2_BUCKET_NAME and either
 * R2_ACCOUNT_ID (→ https://<account>.r2.cloudflarestorage.com) or R2_S3_ENDPOINT (a
 * jurisdiction's endpoint, or Miniflare's local one). All or nothing: a half-configured set
 * is an error to fix, not a reason to silently proxy.
 */
export function s3TargetFrom(env: object): S3Target | undefined {
  const vars = env as Readonly<Record<string, unknown>>;
  const read = (name: string) =>
    typeof vars[name] === "string" && vars[name] !== "" ? (vars[name] as string) : undefined;
  const accessKeyId = read("R2_ACCESS_KEY_ID");
  const secretAccessKey = read("R2_SECRET_ACCESS_KEY");
  const bucket = read("R2_BUCKET_NAME");
  const accountId = read("R2_ACCOUNT_ID");
  const endpoint = read("R2_S3_ENDPOINT") ?? (accountId && `https://${accountId}.r2.cloudflarestorage.com`);
  const given = [accessKeyId, secretAccessKey, bucket, endpoint].filter(Boolean).length;
  if (given === 0) return undefined;
  if (!accessKeyId || !secretAccessKey || !bucket || !endpoint) {
    throw new Error(
      "R2 S3 settings are incomplete: set R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, R2_BUCKET_NAME and R2_ACCOUNT_ID (or R2_S3_ENDPOINT).",
    );
  }
  return {
    endpoint: new URL(endpoint),
    bucket,
    credentials: { accessKeyId, secretAccessKey, region: "auto", service: "s3" },
  };
}

export interface PartUrlRequest {
  readonly courseId: string;
  /** This API's upload id (UUIDv7). */
  readonly uploadId: string;
  readonly objectKey: string;
  /** R2's multipart upload id. */
  readonly r2UploadId: string;
  readonly plan: PartPlan;
  readonly now: Date;
}

export function proxiedPartPath(courseId: string, uploadId: string, partNumber: number): string {
  return `/api/courses/${courseId}/uploads/${uploadId}/parts/${partNumber}`;
}

/** Targets for the given parts (all of them when `only` is left out). */
export async function partTargets(
  request: PartUrlRequest,
  s3: S3Target | undefined,
  only: readonly number[] = partNumbers(request.plan),
): Promise<PartTarget[]> {
  const expiresAt = new Date(request.now.getTime() + PRESIGNED_PART_SECONDS * 1000).toISOString();
  return Promise.all(
    only.map(async (partNumber): Promise<PartTarget> => {
      const sizeBytes = expectedPartSize(request.plan, partNumber);
      if (!s3) {
        return {
          partNumber,
          sizeBytes,
          method: "PUT",
          url: proxiedPartPath(request.courseId, request.uploadId, partNumber),
          expiresAt: null,
        };
      }
      const url = new URL(s3.endpoint);
      url.pathname = `${url.pathname.replace(/\/$/, "")}/${awsPath([s3.bucket, ...request.objectKey.split("/")])}`;
      url.search = new URLSearchParams({ partNumber: String(partNumber), uploadId: request.r2UploadId }).toString();
      const signed = await presignUrl({
        method: "PUT",
        url,
        credentials: s3.credentials,
        signedAt: request.now,
        expiresSeconds: PRESIGNED_PART_SECONDS,
        // R2 then refuses a part of any other size before storing a byte of it.
        headers: { "content-length": String(sizeBytes) },
      });
      return { partNumber, sizeBytes, method: "PUT", url: signed.toString(), expiresAt };
    }),
  );
}
