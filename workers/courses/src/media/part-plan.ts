/**
 * How a file is cut into parts. R2 (like S3) wants every part but the last the same size and at
 * least 5 MiB, and at most 10,000 parts. Parts travel through the gateway when they are proxied,
 * and a Worker's request body is capped at 100 MiB, so a part stays well under that.
 */
const MiB = 1024 * 1024;

export const MIN_PART_BYTES = 5 * MiB;
export const DEFAULT_PART_BYTES = 10 * MiB;
/** Keep in step with the gateway's limit for the part route (workers/gateway/src/body-limit.ts). */
export const MAX_PART_BYTES = 95 * MiB;
export const MAX_PARTS = 10_000;

export interface PartPlan {
  readonly sizeBytes: number;
  readonly partSizeBytes: number;
  readonly partCount: number;
}

/** 10 MiB parts, or larger ones (in whole MiB) when a file would otherwise need more than 10,000. */
export function planParts(sizeBytes: number): PartPlan {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 1)
    throw new RangeError(`Cannot plan parts for ${sizeBytes} bytes.`);
  const needed = Math.ceil(Math.ceil(sizeBytes / MAX_PARTS) / MiB) * MiB;
  const partSizeBytes = Math.max(DEFAULT_PART_BYTES, needed);
  if (partSizeBytes > MAX_PART_BYTES)
    throw new RangeError(`${sizeBytes} bytes need parts over ${MAX_PART_BYTES} bytes.`);
  return { sizeBytes, partSizeBytes, partCount: Math.ceil(sizeBytes / partSizeBytes) };
}

/** The exact size part `partNumber` (1-based) must have: the part size, or what is left for the last. */
export function expectedPartSize(plan: PartPlan, partNumber: number): number {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) {
    throw new RangeError(`Part ${partNumber} is outside 1..${plan.partCount}.`);
  }
  return partNumber < plan.partCount ? plan.partSizeBytes : plan.sizeBytes - (plan.partCount - 1) * plan.partSizeBytes;
}

export function partNumbers(plan: PartPlan): number[] {
  return Array.from({ length: plan.partCount }, (_, index) => index + 1);
}
