/**
 * A message that can never be sent as it is: a header value with a line break (an injection attempt,
 * or a bug), a malformed address. Transports report it as a permanent failure: retrying cannot help.
 */
export class InvalidMessageError extends Error {
  override readonly name = "InvalidMessageError";
}
