import type { NotificationsBindings } from "../../src/env.ts";
import { databaseBindings, recordingQueue } from "../../../../test/support/in-process.ts";
import type { StandIns } from "./stand-ins.ts";

export const TEST_ORIGIN = "https://learn.example.com";

/** A fresh ES256 private JWK, as VAPID_PRIVATE_KEY holds it. */
export async function vapidPrivateKey(): Promise<string> {
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  return JSON.stringify(await crypto.subtle.exportKey("jwk", pair.privateKey));
}

/** The worker's bindings for a test: the routes project's database, the given stand-ins, and these settings. */
export function notificationsEnv(
  services: StandIns,
  settings: Partial<NotificationsBindings> = {},
): NotificationsBindings {
  return {
    ...databaseBindings(),
    EVENTS_QUEUE: recordingQueue(),
    AUTH: services.AUTH,
    USERS: services.USERS,
    COURSES: services.COURSES,
    PROGRESS: services.PROGRESS,
    PUBLIC_ORIGIN: TEST_ORIGIN,
    UNSUBSCRIBE_SECRET: "a-test-secret-that-is-long-enough-for-hmac-0123",
    ...settings,
  };
}
