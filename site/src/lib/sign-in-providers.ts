import { apiFetch } from "./api";

/** A provider offered on the sign-in page, as `GET /api/auth/oidc/providers` lists it. */
export interface SignInProvider {
  slug: string;
  issuer: string;
}

const TIMEOUT_MS = 3000;

/** Never throws: no providers is a valid answer, and an unavailable API shows as none. */
export async function loadSignInProviders(visitorRequest: Request): Promise<SignInProvider[]> {
  try {
    const res = await apiFetch(visitorRequest, "/api/auth/oidc/providers", {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) {
      await res.body?.cancel();
      return [];
    }
    const body = (await res.json()) as { items?: unknown };
    if (!Array.isArray(body.items)) return [];
    return body.items.filter(
      (item): item is SignInProvider =>
        typeof item === "object" && item !== null && typeof item.slug === "string" && typeof item.issuer === "string",
    );
  } catch {
    return [];
  }
}
