import { v7 as uuidv7 } from "uuid";
import type { ExecutionContext } from "hono";
import { CORRELATION_HEADER, PRINCIPAL_ROLES_HEADER, PRINCIPAL_USER_HEADER } from "@platform/http-kit";
import { databaseBindings, type Principal } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";

/** A test-only media-link secret (≥ 32 characters), handed to the in-process app as `MEDIA_URL_SECRET`. */
export const MEDIA_URL_SECRET = "routes-test-media-url-secret-0123456789abcdef";

export interface MediaAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Uint8Array;
  /** The problem+json body of a refusal (empty for media). */
  readonly problem: { type?: string; detail?: string; errors?: { path: string }[] };
}

/**
 * GETs (or HEADs) a media URL from the in-process app and keeps the raw bytes, which the JSON
 * client of test/support/in-process.ts would try to parse. `as` adds the principal headers the
 * gateway sets for a bearer token; without it the request is what a `<video>` element sends.
 */
export function mediaClient(bindings: object) {
  const env = { ...databaseBindings(), ...bindings };
  return async function fetchMedia(
    url: string,
    options: { as?: Principal; headers?: Record<string, string>; method?: string } = {},
  ): Promise<MediaAnswer> {
    const headers = new Headers(options.headers);
    headers.set(CORRELATION_HEADER, `in-process-${uuidv7()}`);
    if (options.as) {
      headers.set(PRINCIPAL_USER_HEADER, options.as.userId);
      headers.set(PRINCIPAL_ROLES_HEADER, options.as.roles.join(","));
    }
    const pending: Promise<unknown>[] = [];
    const ctx: ExecutionContext = {
      waitUntil: (promise) => void pending.push(promise),
      passThroughOnException: () => {},
      props: {},
    };
    try {
      const response = await app.request(
        `http://worker.internal${url}`,
        { method: options.method ?? "GET", headers },
        env,
        ctx,
      );
      const bytes = new Uint8Array(await response.arrayBuffer());
      const isProblem = response.headers.get("content-type") === "application/problem+json";
      return {
        status: response.status,
        headers: response.headers,
        bytes,
        problem: isProblem ? (JSON.parse(new TextDecoder().decode(bytes)) as MediaAnswer["problem"]) : {},
      };
    } finally {
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    }
  };
}

/** Deterministic bytes that look like nothing in particular: byte i depends on i and the seed. */
export function patternBytes(size: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, index) => (index * 31 + seed * 7 + (index >> 8)) & 0xff);
}

export const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
