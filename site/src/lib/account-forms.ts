import { apiFetch } from "./api";

/**
 * The account pages (/account/*) take a form post and call the API server-side. Such a post must
 * come from a page of this site: a browser sends `Origin` with every POST, and another site's page
 * could otherwise submit the form on a visitor's behalf (spending their link, setting a password).
 * Astro checks form posts too (security.checkOrigin); this check also covers every other body type
 * and a missing header.
 */
export function isSameOriginPost(request: Request): boolean {
  return request.method === "POST" && request.headers.get("origin") === new URL(request.url).origin;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: { readonly detail?: string; readonly errors?: readonly { path: string; message: string }[] };
}

/** Posts JSON to the API for the visitor whose form this is; a network failure answers 503. */
export async function postToApi(request: Request, path: string, body: unknown): Promise<ApiAnswer> {
  try {
    const response = await apiFetch(request, path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: ApiAnswer["body"] = {};
    try {
      parsed = text ? (JSON.parse(text) as ApiAnswer["body"]) : {};
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    return { status: response.status, body: parsed };
  } catch {
    return { status: 503, body: {} };
  }
}

/** The message the API gave for one field (a password the policy refused), if any. */
export function fieldMessage(answer: ApiAnswer, path: string): string | undefined {
  return answer.body.errors?.find((error) => error.path === path)?.message;
}

/** A form field as text (absent or a file: empty). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/**
 * Pages that carry a token in their address: never cached, and the address never sent on as a
 * Referer to whatever the page links to.
 */
export function protectTokenPage(response: { headers: Headers }): void {
  response.headers.set("cache-control", "no-store");
  response.headers.set("referrer-policy", "no-referrer");
}
