import { API_SCOPES, type ApiScope } from "@platform/contracts";
import type { AdminText } from "../../lib/admin-pages";

/**
 * What the API-keys page reads and posts (workers/auth/src/routes/api-keys.ts), and how it reads
 * its forms. The page checks a form in words before calling the API; the API checks it again.
 */

/** `GET /api/auth/api-keys` items: never a secret. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: readonly ApiScope[];
  readonly ownerId: string;
  readonly createdAt: string;
  readonly rotatedAt: string | null;
  readonly previousValidUntil: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** What create and rotate answer: the view and the key itself, which the API never gives again. */
export interface IssuedApiKey extends ApiKeyView {
  readonly key: string;
}

/** The API's limit on a key's name (`createBody`). */
export const NAME_MAX_LENGTH = 100;

export interface CreateDraft {
  readonly name: string;
  readonly scopes: readonly ApiScope[];
}

export type CreateCheck =
  | { readonly ok: true; readonly draft: CreateDraft }
  | {
      readonly ok: false;
      readonly draft: CreateDraft;
      readonly errors: { readonly name?: string; readonly scopes?: string };
    };

/** The create form, checked as the API would check it; scopes it does not know are dropped. */
export function readCreateForm(form: FormData, text: AdminText["apiKeys"]): CreateCheck {
  const raw = form.get("name");
  const name = typeof raw === "string" ? raw.trim() : "";
  const posted = form.getAll("scopes");
  const draft = { name, scopes: API_SCOPES.filter((scope) => posted.includes(scope)) };
  const errors = {
    ...(name === "" && { name: text.nameMissing }),
    ...(name.length > NAME_MAX_LENGTH && { name: text.nameTooLong }),
    ...(draft.scopes.length === 0 && { scopes: text.scopesMissing }),
  };
  return Object.keys(errors).length === 0 ? { ok: true, draft } : { ok: false, draft, errors };
}

/** The grace periods a rotation offers, in seconds (the API allows 0 to a week; a day by default). */
export const GRACE_CHOICES = [
  { key: "none", seconds: 0 },
  { key: "hour", seconds: 60 * 60 },
  { key: "day", seconds: 24 * 60 * 60 },
  { key: "week", seconds: 7 * 24 * 60 * 60 },
] as const;
export const DEFAULT_GRACE_SECONDS = 24 * 60 * 60;

/** The posted grace period when it is one of the choices, else undefined (an old or forged form). */
export function graceOf(form: FormData): number | undefined {
  const posted = form.get("graceSeconds");
  return GRACE_CHOICES.find((choice) => String(choice.seconds) === posted)?.seconds;
}

/** Whether a rotated key's previous secret still works at `now`. */
export const inGrace = (key: ApiKeyView, now: number): boolean =>
  key.previousValidUntil !== null && Date.parse(key.previousValidUntil) > now;
