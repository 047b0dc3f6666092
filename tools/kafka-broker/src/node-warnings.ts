/**
 * kafkajs 2.2.4 arms a timer with a negative delay on every connection (tulios/kafkajs#1751);
 * Node has always run such a timer after 1 ms, and since Node 24 it also prints a
 * TimeoutNegativeWarning. The warning says nothing about the bridge, so processes that own
 * their output (the bridge's and the broker's commands) drop that one warning and no other.
 */
export function quietKafkajsTimerWarning(): void {
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const name = warning instanceof Error ? warning.name : type;
    if (name === "TimeoutNegativeWarning") return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}
