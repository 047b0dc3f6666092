import type { z } from "@hono/zod-openapi";
import { inject } from "vitest";
import type { tokenPair, userResponse } from "../../workers/auth/src/routes/schemas.ts";

/** Small helpers for tests that talk to the started stack over HTTP. */
export const gatewayUrl = inject("gatewayUrl");

export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * A client address of its own: a fresh /64 in the IPv6 documentation range (RFC 3849), which the
 * gateway's per-client rate limits count apart (they count IPv6 by /64). Random rather than
 * counted, so test files, which each load this module afresh, do not start from the same one.
 */
export function newClientAddress(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
  return `2001:db8:${a.toString(16)}:${b.toString(16)}::1`;
}

/**
 * Every call is a new client unless the test sends `cf-connecting-ip` itself (as throttling
 * tests do to play one client several times): the gateway rate-limits per client, and the suite
 * as a whole makes more sign-ins and registrations than one client may.
 */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (!Object.keys(headers).some((name) => name.toLowerCase() === "cf-connecting-ip")) {
    headers["cf-connecting-ip"] = newClientAddress();
  }
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as T };
}

let counter = 0;
/** A unique, valid email per call, so tests never collide with each other or with earlier runs. */
export function uniqueEmail(tag: string): string {
  counter += 1;
  return `${tag}-${process.pid}-${Date.now()}-${counter}@example.com`;
}

export const GOOD_PASSWORD = "a perfectly fine passphrase";

/** What sign-in and refresh answer, and what registration answers (the auth worker's route schemas). */
export type TokenPair = z.infer<typeof tokenPair>;
export type RegisteredUser = z.infer<typeof userResponse>;

export async function registerAndLogin(tag: string): Promise<{ email: string; userId: string; tokens: TokenPair }> {
  const email = uniqueEmail(tag);
  const registered = await api<RegisteredUser>("POST", "/api/auth/register", {
    body: { email, password: GOOD_PASSWORD, name: `User ${tag}` },
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  const login = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return { email, userId: registered.body.id, tokens: login.body };
}
