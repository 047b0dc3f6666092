/**
 * What the worker asks of its Durable Objects (session-store.ts, login-throttle.ts), declared here
 * rather than taken from the classes: those import `cloudflare:workers`, and the app (with
 * everything it imports) must also load and type-check in Node, where the routes tests run it
 * with in-memory stand-ins. The classes implement these interfaces, so the two cannot drift apart.
 */

import type { SessionRevocations } from "@platform/contracts";

export type RotateResult =
  | { ok: true; value: { token: string; familyId: string; epoch: number } }
  | { ok: false; code: "invalid" | "reused" | "revoked" | "expired" };

export interface SessionStoreApi {
  epoch(): Promise<number>;
  revocations(): Promise<SessionRevocations>;
  raiseEpoch(): Promise<number>;
  open(userId: string): Promise<{ token: string; familyId: string; epoch: number }>;
  rotate(token: string, successor: string, options: { graceMs: number }): Promise<RotateResult>;
  revokeByToken(token: string): Promise<boolean>;
  revokeAll(reason: string): Promise<number>;
  revokeAllExcept(keep: string | undefined, reason: string): Promise<{ kept: boolean; epoch: number }>;
  liveSessions(): Promise<number>;
  createHandoff(userId: string, payload: string): Promise<string>;
  redeemHandoff(code: string): Promise<string | undefined>;
}

/** `lockedOut`: this failure is the one that engaged the lock (counted in `auth_lockouts_total`). */
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; lockedOut?: boolean };

export interface LoginThrottleApi {
  checkPair(): Promise<ThrottleVerdict>;
  failPair(): Promise<ThrottleVerdict>;
  resetPair(): Promise<void>;
  checkClient(): Promise<ThrottleVerdict>;
  failClient(): Promise<void>;
}

/** A Durable Object namespace as the worker uses it: one object per name. */
export interface ObjectNamespace<Stub> {
  idFromName(name: string): DurableObjectIdLike;
  get(id: DurableObjectIdLike): Stub;
}

/** Opaque: whatever `idFromName` gives, `get` takes. */
export type DurableObjectIdLike = object | string;
