/** The part of Mozilla's `http_ece` (no types published) the push tests use to decrypt independently of our code. */
declare module "http_ece" {
  import type { ECDH } from "node:crypto";

  export interface DecryptParams {
    readonly version: "aes128gcm";
    /** The receiver's (the browser's) ECDH key pair. */
    readonly privateKey: ECDH;
    /** base64url or bytes. */
    readonly authSecret: string | Buffer;
  }

  export function decrypt(buffer: Buffer, params: DecryptParams): Buffer;
}
