/**
 * A failure the operator can act on: the message says what is wrong and what to do, and never
 * carries the database password (URLs in it are redacted). The CLIs print only the message.
 */
export class BackupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BackupError";
  }
}
