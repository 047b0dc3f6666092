import { createPlatformClient, type paths } from "@platform/api-client";
import { apiFetch } from "./api";

type ProvidersAnswer = paths["/api/auth/oidc/providers"]["get"]["responses"][200]["content"]["application/json"];

/** A provider offered on the sign-in page, as `GET /api/auth/oidc/providers` lists it. */
export type SignInProvider = ProvidersAnswer["items"][number];

const TIMEOUT_MS = 3000;

/** Never throws: no providers is a valid answer, and an unavailable API shows as none. */
export async function loadSignInProviders(visitorRequest: Request): Promise<SignInProvider[]> {
  const api = createPlatformClient({
    baseUrl: new URL(visitorRequest.url).origin,
    // Through the gateway's binding with the visitor's address, as every call a page makes (api.ts).
    fetch: (request) => apiFetch(visitorRequest, request.url, { headers: request.headers, signal: request.signal }),
  });
  try {
    const { data } = await api.GET("/api/auth/oidc/providers", {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return data?.items ?? [];
  } catch {
    return [];
  }
}
