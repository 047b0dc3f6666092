import { inject } from "vitest";

/** Small helpers for tests that talk to the started stack over HTTP. */
export const gatewayUrl = inject("gatewayUrl");

export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
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

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
}

export async function registerAndLogin(tag: string): Promise<{ email: string; userId: string; tokens: TokenPair }> {
  const email = uniqueEmail(tag);
  const registered = await api<{ id: string }>("POST", "/api/auth/register", {
    body: { email, password: GOOD_PASSWORD, name: `User ${tag}` },
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  const login = await api<TokenPair>("POST", "/api/auth/login", { body: { email, password: GOOD_PASSWORD } });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return { email, userId: registered.body.id, tokens: login.body };
}
