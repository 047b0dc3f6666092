/**
 * Speed and time left from samples of the bytes handed to the network: the rate over the last few
 * seconds (not since the start, so a pause or a slow patch fades out), and the time the bytes
 * still to send take at that rate. No estimate until a second of samples exists.
 */
const WINDOW_MS = 6000;
const MIN_SPAN_MS = 1000;

export class RateMeter {
  private samples: Array<{ readonly at: number; readonly bytes: number }> = [];

  /** Records the monotonic byte count now. */
  sample(bytes: number, at = performance.now()): void {
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) > WINDOW_MS) this.samples.shift();
  }

  /** Forgets the history (after a pause: the rate starts again from the next samples). */
  reset(): void {
    this.samples = [];
  }

  /** Bytes per second, or undefined while there is too little to tell. */
  bytesPerSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < MIN_SPAN_MS) return undefined;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }

  /** Seconds until `remainingBytes` are sent at the current rate. */
  secondsLeft(remainingBytes: number): number | undefined {
    const rate = this.bytesPerSecond();
    if (rate === undefined || rate <= 0) return undefined;
    return remainingBytes / rate;
  }
}
