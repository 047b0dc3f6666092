import { describe, expect, it } from "vitest";
import type { EventConsumerRpc } from "@platform/contracts";
import { dispatchMessage, retryDelaySeconds, type RouterSubscriber, type Subscribers } from "../src/dispatch.ts";
import { ROUTER_CONSUMES } from "../src/erasure.ts";
import { SUBSCRIPTIONS, buildEvent, subscribersOf } from "@platform/events";

describe("retry backoff", () => {
  it("doubles with each attempt from the base, capped at ten minutes", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelaySeconds(attempt, 5))).toEqual([5, 10, 20, 40, 80]);
    expect(retryDelaySeconds(20, 5)).toBe(600);
    expect(retryDelaySeconds(3, 0)).toBe(0);
  });
});

describe("subscriptions", () => {
  it("hands USER_CREATED to the users and notifications workers and nothing it does not ask for", () => {
    expect(subscribersOf("USER_CREATED")).toEqual(["USERS", "NOTIFICATIONS"]);
    expect(subscribersOf("COURSE_PUBLISHED")).toEqual(["COURSES", "PROGRESS"]);
    expect(subscribersOf("NOTIFICATION_SENT")).toEqual([]);
    expect(subscribersOf("NOT_AN_EVENT")).toEqual([]);
  });

  it("hands USER_DELETED to every service that holds a person's data", () => {
    expect(subscribersOf("USER_DELETED").sort()).toEqual(["COURSES", "NOTIFICATIONS", "PAYMENTS", "PROGRESS", "USERS"]);
  });
});

describe("the router and its consumers agree", () => {
  it("hands the courses worker exactly the events its applyEvent handles", async () => {
    // The worker takes SUBSCRIPTIONS.COURSES as its `consumes`; what it does with each type is its handler map.
    const { COURSE_EVENT_HANDLERS, handles } = await import("../../courses/src/event-handlers.ts");
    expect([...SUBSCRIPTIONS.COURSES].sort()).toEqual(Object.keys(COURSE_EVENT_HANDLERS).sort());
    for (const type of SUBSCRIPTIONS.COURSES) expect(handles(type), type).toBe(true);
    expect(handles("USER_CREATED")).toBe(false);
  });

  it("hands the notifications worker exactly the events it plans notices (or erasure) for", async () => {
    const { NOTIFICATION_PLANNERS, plans } = await import("../../notifications/src/consumer/plan.ts");
    expect([...SUBSCRIPTIONS.NOTIFICATIONS].sort()).toEqual(Object.keys(NOTIFICATION_PLANNERS).sort());
    expect(plans("COURSE_PUBLISHED")).toBe(false);
  });

  it("every subscriber binding is one the router's env has as an event consumer", async () => {
    // A binding listed in SUBSCRIPTIONS but missing from wrangler.toml would fail every delivery of its types.
    const { readFile } = await import("node:fs/promises");
    const config = await readFile(new URL("../wrangler.toml", import.meta.url), "utf8");
    for (const binding of Object.keys(SUBSCRIPTIONS)) expect(config, binding).toContain(`binding = "${binding}"`);
  });
});

describe("the router as a subscriber of its own", () => {
  const applying: EventConsumerRpc = { handleEvent: async () => "applied" };
  const subscribers = Object.fromEntries(
    Object.keys(SUBSCRIPTIONS).map((binding) => [binding, applying]),
  ) as Subscribers;
  const message = (body: unknown) => {
    const state = { acked: false, retried: false };
    return {
      state,
      message: {
        id: "message-1",
        body,
        attempts: 1,
        ack: () => void (state.acked = true),
        retry: () => void (state.retried = true),
      },
    };
  };
  const router = (fail = false) => {
    const seen: string[] = [];
    const subscriber: RouterSubscriber = {
      consumes: ROUTER_CONSUMES,
      handleEvent: async (event) => {
        seen.push((event as { type: string }).type);
        if (fail) throw new Error("database unreachable");
        return "applied";
      },
    };
    return { seen, subscriber };
  };
  const deleted = buildEvent(
    "USER_DELETED",
    { userId: "01a2f000-0000-7000-8000-000000000001" },
    { source: "auth", correlationId: "router-test" },
  );

  it("applies USER_DELETED to its own dead letters, beside every other subscriber, before the event counts as delivered", async () => {
    expect(ROUTER_CONSUMES).toEqual(["USER_DELETED"]);
    const own = router();
    const { message: delivered, state } = message(deleted);
    const outcome = await dispatchMessage(delivered, subscribers, 0, own.subscriber);
    expect(own.seen).toEqual(["USER_DELETED"]);
    expect(outcome.status).toBe("delivered");
    expect(state).toEqual({ acked: true, retried: false });
  });

  it("is not handed the types it does not apply", async () => {
    const own = router();
    const created = buildEvent(
      "USER_CREATED",
      { userId: deleted.data.userId, email: "someone@example.test", name: "Someone", roles: ["learner"] },
      { source: "auth", correlationId: "router-test" },
    );
    expect((await dispatchMessage(message(created).message, subscribers, 0, own.subscriber)).status).toBe("delivered");
    expect(own.seen).toEqual([]);
  });

  it("a failure of its own retries the event like any subscriber's, named EVENTS in the reason", async () => {
    const { message: failing, state } = message(deleted);
    const outcome = await dispatchMessage(failing, subscribers, 0, router(true).subscriber);
    expect(outcome).toEqual({ status: "retry", eventId: deleted.id, reason: "EVENTS: database unreachable" });
    expect(state).toEqual({ acked: false, retried: true });
  });
});
