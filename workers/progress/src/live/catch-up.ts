/**
 * What a reconnecting client gets for the number it last saw: the messages it missed, in order, when the hub
 * still keeps every one of them; otherwise a snapshot frame, which tells it to reload from the REST API.
 */
export type CatchUp = { readonly kind: "current" } | { readonly kind: "replay" } | { readonly kind: "snapshot" };

/**
 * @param after the last sequence number the client saw
 * @param last the learner's latest sequence number (0: none yet)
 * @param oldest the oldest number the hub still keeps (null: it keeps none)
 */
export function catchUpFor(after: number, last: number, oldest: number | null): CatchUp {
  if (after === last) return { kind: "current" };
  // A number the hub never issued: its store was reset, so nothing the client holds can be trusted.
  if (after > last) return { kind: "snapshot" };
  // Replaying is only honest if nothing between `after` and `last` is missing.
  return oldest !== null && oldest <= after + 1 ? { kind: "replay" } : { kind: "snapshot" };
}
