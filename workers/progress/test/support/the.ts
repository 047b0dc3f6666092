/** The value, which the test knows is there (the lint forbids `!`): a missing one fails the test here, by name. */
export function the<T>(value: T | null | undefined, what = "an expected value"): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}
