import { describe, expect, it } from "vitest";
import { LIVE_LIMITS, type LiveMessage } from "@platform/contracts";
import { publishLive } from "../src/live/publish-live.ts";
import type { LiveHubNamespace } from "../src/live/push.ts";

/** `ProgressRpc.publishLive` against a namespace of stand-in hubs: what it hands on, and what it refuses. */
function hubs(options: { failing?: boolean } = {}) {
  const published: { userId: string; message: LiveMessage }[] = [];
  const namespace: LiveHubNamespace<string> = {
    idFromName: (name) => name,
    get: (userId) => ({
      publish: async (message) => {
        if (options.failing) throw new Error("the hub cannot be reached");
        published.push({ userId, message });
        return { seq: published.length, sockets: 2 };
      },
      fetch: async () => new Response(null, { status: 500 }),
    }),
  };
  return { published, env: { LIVE_HUB: namespace } };
}

const userId = "0199a0b2-3c4d-7e5f-8a6b-7c8d9e0f1a2b";

describe("publishLive", () => {
  it("hands the message to that person's own hub and answers its stamp", async () => {
    const { published, env } = hubs();
    const message = { type: "notification.created", unread: 1 };
    expect(await publishLive(env, userId, message)).toEqual({ ok: true, value: { seq: 1, sockets: 2 } });
    expect(published).toEqual([{ userId, message }]);
  });

  it("refuses what is not a message, or is too large, or no person, without reaching a hub", async () => {
    const { published, env } = hubs();
    const big = { type: "x", text: "a".repeat(LIVE_LIMITS.messageBytes) };
    expect(await publishLive(env, userId, { type: "" })).toEqual({ ok: false, code: "invalid_message" });
    expect(await publishLive(env, userId, big)).toEqual({ ok: false, code: "invalid_message" });
    expect(await publishLive(env, "not-a-user", { type: "x" })).toEqual({ ok: false, code: "invalid_message" });
    expect(published).toEqual([]);
  });

  it("answers unavailable when the hub cannot be reached", async () => {
    const { env } = hubs({ failing: true });
    expect(await publishLive(env, userId, { type: "x" })).toEqual({ ok: false, code: "unavailable" });
  });
});
