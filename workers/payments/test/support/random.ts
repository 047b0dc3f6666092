/**
 * A small seeded random source for property tests (fast-check is not a dependency): the same
 * seed gives the same sequence, so a failing order can be replayed from the seed in the message.
 */
export function seededRandom(seed: number): () => number {
  // mulberry32: tiny, fast, and good enough to shuffle test inputs.
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniformly random permutation (Fisher–Yates) of a copy of `items`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let index = out.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [out[index], out[other]] = [out[other] as T, out[index] as T];
  }
  return out;
}

/** Each item once, some of them again (redeliveries): 1 to `maxCopies` copies each, shuffled. */
export function withRedeliveries<T>(items: readonly T[], random: () => number, maxCopies = 3): T[] {
  const copies = items.flatMap((item) => Array.from({ length: 1 + Math.floor(random() * maxCopies) }, () => item));
  return shuffled(copies, random);
}
