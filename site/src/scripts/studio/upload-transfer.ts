import type { PartOutcome, PartTarget } from "./upload-client";

/**
 * Sends a file's parts: several at once, each cut from the file with `slice` when its turn comes
 * (the file is never read whole), a failed part retried on its own with growing pauses, and
 * pausing at any moment (the parts in flight are dropped and sent again on resume: sending a part
 * again replaces it). Knows nothing of the page: the widget renders what `sentBytes` and the
 * hooks report.
 */

/** Parts in flight at once: enough to keep a link busy while one part waits for its answer. */
export const PARTS_IN_FLIGHT = 4;
/** Attempts per part before the upload stops and asks the author. */
export const MAX_ATTEMPTS = 5;
const FIRST_PAUSE_MS = 1000;
const LONGEST_PAUSE_MS = 15_000;
const LONGEST_SERVER_WAIT_MS = 60_000;

/** Answers the API and the network give that a later attempt can get past. */
const RETRYABLE = new Set([0, 408, 425, 429, 500, 502, 503, 504]);

export interface RetryNotice {
  readonly partNumber: number;
  /** The attempt about to be made. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly delayMs: number;
}

export interface TransferHooks {
  send(target: PartTarget, body: Blob, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<PartOutcome>;
  /** An attempt at a part begins (after a retry's pause, or once back online). */
  sending?(partNumber: number, attempt: number): void;
  /** A part is stored; its ETag (presigned uploads complete with them). */
  stored(partNumber: number, etag: string): void;
  retrying(notice: RetryNotice): void;
  /** The browser is offline: attempts wait for the connection instead of being spent. */
  offline(): void;
  /** Fresh targets for these parts (presigned URLs expire). */
  refresh?(partNumbers: readonly number[]): Promise<readonly PartTarget[]>;
}

export type TransferFailure =
  | { readonly kind: "refused"; readonly partNumber: number; readonly status: number; readonly detail?: string }
  | { readonly kind: "exhausted"; readonly partNumber: number; readonly status: number }
  | { readonly kind: "file-changed"; readonly partNumber: number };

export class TransferError extends Error {
  constructor(readonly failure: TransferFailure) {
    super(`part ${failure.partNumber}: ${failure.kind}`);
  }
}

/** A pause that grows with each attempt (1, 2, 4, 8 s … at most 15), halved at random so clients spread out. */
export function retryDelayMs(attempt: number, retryAfterSeconds?: number, random = Math.random): number {
  const ceiling = Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (attempt - 1));
  const backoff = ceiling / 2 + (random() * ceiling) / 2;
  if (retryAfterSeconds === undefined) return backoff;
  return Math.min(LONGEST_SERVER_WAIT_MS, Math.max(backoff, retryAfterSeconds * 1000));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

function whenOnline(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      window.removeEventListener("online", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    window.addEventListener("online", done);
    signal.addEventListener("abort", done, { once: true });
  });
}

export class PartTransfer {
  /** Parts not stored yet, by number. */
  private readonly pending = new Map<number, PartTarget>();
  /** Bytes sent of each part in flight (not yet confirmed). */
  private readonly loaded = new Map<number, number>();
  private storedBytes: number;
  private bytesOnWire = 0;
  private controller: AbortController | undefined;
  private pausing = false;

  constructor(
    private readonly file: Blob,
    private readonly partSizeBytes: number,
    toSend: readonly PartTarget[],
    alreadyStoredBytes: number,
    private readonly hooks: TransferHooks,
    private readonly parallel = PARTS_IN_FLIGHT,
    private readonly maxAttempts = MAX_ATTEMPTS,
  ) {
    for (const part of toSend) this.pending.set(part.partNumber, part);
    this.storedBytes = alreadyStoredBytes;
  }

  /** Stored bytes plus what the parts in flight have sent so far: the progress bar. */
  get sentBytes(): number {
    let inFlight = 0;
    for (const bytes of this.loaded.values()) inFlight += bytes;
    return this.storedBytes + inFlight;
  }

  /** Every byte handed to the network, parts sent again included: what the speed is measured on. */
  get wireBytes(): number {
    return this.bytesOnWire;
  }

  get partsInFlight(): number {
    return this.loaded.size;
  }

  get remainingParts(): number {
    return this.pending.size;
  }

  /** Drops the parts in flight; `run` then answers "paused" and may be called again. */
  pause(): void {
    this.pausing = true;
    this.controller?.abort();
  }

  /** Sends every pending part; "done" when all are stored, "paused" after `pause()`. Throws a TransferError. */
  async run(): Promise<"done" | "paused"> {
    this.pausing = false;
    const controller = new AbortController();
    this.controller = controller;
    const queue = [...this.pending.values()].sort((a, b) => a.partNumber - b.partNumber);
    let failure: TransferError | undefined;
    const worker = async () => {
      for (let part = queue.shift(); part && !controller.signal.aborted; part = queue.shift()) {
        try {
          await this.sendWithRetries(part, controller.signal);
        } catch (error) {
          if (!(error instanceof TransferError)) throw error;
          failure ??= error;
          // One part that cannot be sent stops the others: the author decides what next.
          controller.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.parallel, queue.length) }, worker));
    this.loaded.clear();
    if (failure && !this.pausing) throw failure;
    return this.pending.size === 0 ? "done" : "paused";
  }

  private async sendWithRetries(first: PartTarget, signal: AbortSignal): Promise<void> {
    let target = first;
    for (let attempt = 1; ; attempt += 1) {
      if (!navigator.onLine) {
        this.hooks.offline();
        await whenOnline(signal);
      }
      if (signal.aborted) return;
      const start = (target.partNumber - 1) * this.partSizeBytes;
      const body = this.file.slice(start, start + target.sizeBytes);
      if (body.size !== target.sizeBytes) {
        throw new TransferError({ kind: "file-changed", partNumber: target.partNumber });
      }
      this.hooks.sending?.(target.partNumber, attempt);
      this.loaded.set(target.partNumber, 0);
      const outcome = await this.hooks.send(target, body, (loaded) => this.progress(target.partNumber, loaded), signal);
      this.loaded.delete(target.partNumber);
      if (outcome.ok) {
        this.pending.delete(target.partNumber);
        this.storedBytes += target.sizeBytes;
        this.hooks.stored(target.partNumber, outcome.etag);
        return;
      }
      if (signal.aborted || outcome.aborted) return;
      const expired = outcome.status === 403 && target.expiresAt !== null && this.hooks.refresh !== undefined;
      if (!RETRYABLE.has(outcome.status) && !expired) {
        throw new TransferError({
          kind: "refused",
          partNumber: target.partNumber,
          status: outcome.status,
          ...(outcome.detail !== undefined && { detail: outcome.detail }),
        });
      }
      if (attempt >= this.maxAttempts) {
        throw new TransferError({ kind: "exhausted", partNumber: target.partNumber, status: outcome.status });
      }
      const delayMs = retryDelayMs(attempt, outcome.retryAfterSeconds);
      this.hooks.retrying({
        partNumber: target.partNumber,
        attempt: attempt + 1,
        maxAttempts: this.maxAttempts,
        delayMs,
      });
      await sleep(delayMs, signal);
      if (expired && this.hooks.refresh) {
        const [fresh] = await this.hooks.refresh([target.partNumber]);
        if (fresh) target = fresh;
      }
    }
  }

  private progress(partNumber: number, loaded: number): void {
    const before = this.loaded.get(partNumber);
    if (before === undefined) return;
    this.bytesOnWire += Math.max(0, loaded - before);
    this.loaded.set(partNumber, loaded);
  }
}
