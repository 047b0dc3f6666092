import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "../src/dispatch.ts";
import { SUBSCRIPTIONS, subscribersOf } from "@platform/events";

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
