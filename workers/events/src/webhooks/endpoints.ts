import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { openSecret, sealSecret } from "@platform/http-kit";
import type { EventType } from "@platform/events";
import type { Queryable } from "../db/database.ts";
import { webhookEndpoints } from "../db/schema.ts";
import type { WebhookSettings } from "./settings.ts";
import { newSigningSecret } from "./signature.ts";

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

export interface NewEndpoint {
  readonly ownerId: string;
  readonly url: string;
  readonly description: string;
  readonly eventTypes: readonly EventType[];
}

/** The additional data a sealed secret is bound to: copied onto another endpoint's row, it does not open. */
const sealContext = (endpointId: string) => `webhook-endpoint:${endpointId}`;

/** Makes an endpoint with a fresh signing secret; answers it and the secret in clear (shown once). */
export async function createEndpoint(
  db: Queryable,
  settings: WebhookSettings,
  input: NewEndpoint,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const id = uuidv7();
  const secret = newSigningSecret();
  const [endpoint] = await db
    .insert(webhookEndpoints)
    .values({
      id,
      ownerId: input.ownerId,
      url: input.url,
      description: input.description,
      eventTypes: [...input.eventTypes],
      secret: await sealSecret(settings.secretsKey, secret, sealContext(id)),
    })
    .returning();
  return { endpoint: endpoint as WebhookEndpoint, secret };
}

/**
 * The secrets to sign an attempt with, in clear: the current one, and the one before the last
 * rotation while its grace lasts (Standard Webhooks sends one signature per secret, space-separated).
 */
export async function signingSecretsOf(
  settings: WebhookSettings,
  endpoint: Pick<WebhookEndpoint, "id" | "secret" | "previousSecret" | "previousSecretExpiresAt">,
  now: Date,
): Promise<string[]> {
  const current = await openSecret(settings.secretsKey, endpoint.secret, sealContext(endpoint.id));
  const previousValid =
    endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now;
  if (!previousValid || !endpoint.previousSecret) return [current];
  return [current, await openSecret(settings.secretsKey, endpoint.previousSecret, sealContext(endpoint.id))];
}

/** The longest an old secret may keep signing after a rotation: a week, as for API keys. */
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;

/**
 * Gives an endpoint a new signing secret; the old one keeps signing beside it for `graceSeconds`
 * (0: not at all). Answers the endpoint and the new secret in clear (shown once); undefined when
 * there is no such endpoint.
 */
export async function rotateSigningSecret(
  db: Queryable,
  settings: WebhookSettings,
  id: string,
  graceSeconds: number,
  now: Date = new Date(),
): Promise<{ endpoint: WebhookEndpoint; secret: string } | undefined> {
  const secret = newSigningSecret();
  const sealed = await sealSecret(settings.secretsKey, secret, sealContext(id));
  const [rotated] = await db
    .update(webhookEndpoints)
    .set({
      secret: sealed,
      previousSecret: graceSeconds > 0 ? sql`${webhookEndpoints.secret}` : null,
      previousSecretExpiresAt: graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000) : null,
      updatedAt: now,
    })
    .where(eq(webhookEndpoints.id, id))
    .returning();
  return rotated && { endpoint: rotated, secret };
}

export interface EndpointPage {
  readonly items: WebhookEndpoint[];
  readonly nextCursor: string | null;
}

/** Newest first (ids are v7, so by creation), a page at a time after the last id seen. */
export async function listEndpoints(db: Queryable, { after, limit }: { after?: string; limit: number }) {
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(after ? lt(webhookEndpoints.id, after) : undefined)
    .orderBy(desc(webhookEndpoints.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null } satisfies EndpointPage;
}

export async function findEndpoint(db: Queryable, id: string): Promise<WebhookEndpoint | undefined> {
  const [found] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return found;
}

export interface EndpointChange {
  readonly url?: string | undefined;
  readonly description?: string | undefined;
  readonly eventTypes?: readonly EventType[] | undefined;
  /** true: deliveries start again (and its failure streak is forgotten); false: paused by an admin. */
  readonly enabled?: boolean | undefined;
}

/** Applies a change; undefined when there is no such endpoint. */
export async function changeEndpoint(
  db: Queryable,
  id: string,
  change: EndpointChange,
  now: Date = new Date(),
): Promise<WebhookEndpoint | undefined> {
  const [changed] = await db
    .update(webhookEndpoints)
    .set({
      ...(change.url !== undefined && { url: change.url }),
      ...(change.description !== undefined && { description: change.description }),
      ...(change.eventTypes !== undefined && { eventTypes: [...change.eventTypes] }),
      ...(change.enabled === true && { disabledAt: null, disabledReason: null, failingSince: null }),
      // Paused by hand: the first pause is kept, like an automatic disabling's time.
      ...(change.enabled === false && {
        disabledAt: sql`coalesce(${webhookEndpoints.disabledAt}, ${now})`,
        disabledReason: sql`coalesce(${webhookEndpoints.disabledReason}, 'Paused by an admin.')`,
      }),
      updatedAt: now,
    })
    .where(eq(webhookEndpoints.id, id))
    .returning();
  return changed;
}

/** Deletes an endpoint with its deliveries and their attempts; answers whether there was one. */
export async function deleteEndpoint(db: Queryable, id: string): Promise<boolean> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id))
    .returning({ id: webhookEndpoints.id });
  return deleted.length > 0;
}

/** Every endpoint that is enabled; the fan-out picks those subscribed to each event. */
export function enabledEndpoints(db: Queryable) {
  return db
    .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(isNull(webhookEndpoints.disabledAt));
}

/** Notes a failed attempt on its endpoint: the failure streak starts now unless it already runs. */
export async function noteEndpointFailure(db: Queryable, id: string, now: Date): Promise<void> {
  await db
    .update(webhookEndpoints)
    .set({ failingSince: now })
    .where(and(eq(webhookEndpoints.id, id), isNull(webhookEndpoints.failingSince)));
}

/** A successful attempt ends the endpoint's failure streak. */
export async function noteEndpointSuccess(db: Queryable, id: string): Promise<void> {
  await db
    .update(webhookEndpoints)
    .set({ failingSince: null })
    .where(and(eq(webhookEndpoints.id, id), sql`${webhookEndpoints.failingSince} is not null`));
}
