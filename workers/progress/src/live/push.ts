import type { LiveMessage, LivePublishResult } from "@platform/contracts";

export type { LiveMessage } from "@platform/contracts";

/**
 * A learner's LiveHub as this worker calls it (hub.ts implements it): `publish` over RPC, and `fetch` for the
 * upgrades the live route hands it. Declared by shape, not as `DurableObjectStub<LiveHub>`, so the app's types
 * load outside workerd too (the routes tests run it in Node, with a stand-in namespace).
 */
export interface LiveHubStub {
  publish(message: LiveMessage): Promise<LivePublishResult>;
  fetch(request: Request): Promise<Response>;
}

/** The `LIVE_HUB` Durable Object namespace, as far as this worker uses it. */
export interface LiveHubNamespace<Id = unknown> {
  idFromName(name: string): Id;
  get(id: Id): LiveHubStub;
}

/** What `pushToLearner` needs of a worker's environment: the LiveHub namespace (one object per learner). */
export interface LiveHubBindings {
  readonly LIVE_HUB: LiveHubNamespace;
}

/** The learner's own hub: named by the user id, so no other learner's messages can ever reach its sockets. */
export function hubOf(env: LiveHubBindings, userId: string): LiveHubStub {
  return env.LIVE_HUB.get(env.LIVE_HUB.idFromName(userId));
}

/**
 * Sends a message to every open socket of one learner, and keeps it for their devices that reconnect. Call it
 * after the change it describes has committed: a message is a notice, the database is the record. It throws
 * when the hub cannot be reached or the message is not one (no `type`, larger than `LIVE_LIMITS.messageBytes`);
 * callers in a request should not fail the request for it (`waitUntil` and log).
 */
export async function pushToLearner(env: LiveHubBindings, userId: string, message: LiveMessage): Promise<void> {
  await hubOf(env, userId).publish(message);
}
