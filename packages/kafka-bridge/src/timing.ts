/**
 * A wake-up call that is never lost: a notify with nobody waiting is kept for the next wait.
 */
export class WakeSignal {
  #pending = false;
  #waiter: (() => void) | undefined;

  notify(): void {
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter();
    } else {
      this.#pending = true;
    }
  }

  /** Resolves on the next notify (or a pending one), or after `ms`, whichever comes first. */
  wait(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        resolve();
      }, ms);
      this.#waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Exponential backoff with jitter: 250 ms, 500 ms, 1 s, … up to `maxMs`, reset after a success. */
export class Backoff {
  #attempt = 0;
  readonly #baseMs: number;
  readonly #maxMs: number;

  constructor(baseMs = 250, maxMs = 10_000) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  next(): number {
    const ceiling = Math.min(this.#maxMs, this.#baseMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    // Between half and all of the ceiling, so several bridges do not retry in step.
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  reset(): void {
    this.#attempt = 0;
  }
}
