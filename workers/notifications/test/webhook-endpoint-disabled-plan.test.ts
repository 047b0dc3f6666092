import { describe, expect, it } from "vitest";
import { buildEvent, type EventData, type PlatformEvent } from "@platform/events";
import { planFor, type PlanContext } from "../src/consumer/plan.ts";
import { shownEndpoint } from "../src/consumer/shown-endpoint.ts";
import { renderNotice } from "../src/templates/index.ts";
import { standIns } from "./support/stand-ins.ts";

/**
 * WEBHOOK_ENDPOINT_DISABLED → what the notifications worker plans: the `webhook-endpoint-disabled` notice for the
 * admin who owns the endpoint, now, linking the admin console; the endpoint's address without its secrets.
 */
const context: PlanContext = { courses: standIns().COURSES, origin: "https://learn.example.com", now: new Date() };

const disabled = (data: Partial<EventData<"WEBHOOK_ENDPOINT_DISABLED">> = {}) =>
  buildEvent(
    "WEBHOOK_ENDPOINT_DISABLED",
    {
      endpointId: crypto.randomUUID(),
      userId: crypto.randomUUID(),
      url: "https://hooks.example.net/edge-learning",
      reason: "HTTP 503 on every attempt since 2027-03-09",
      failedDeliveries: 17,
      disabledAt: "2027-03-12T10:00:00Z",
      ...data,
    },
    { source: "events", correlationId: "test-webhook-disabled" },
  ) as PlatformEvent;

describe("planning WEBHOOK_ENDPOINT_DISABLED", () => {
  it("tells the endpoint's owner, now, which endpoint, why, how many deliveries, and links the admin console", async () => {
    const event = disabled();
    const plan = await planFor(event, context);
    expect(plan).toEqual({
      kind: "notify",
      userId: (event.data as { userId: string }).userId,
      fallbackName: null,
      notices: [
        {
          template: "webhook-endpoint-disabled",
          data: {
            endpoint: "https://hooks.example.net/edge-learning",
            reason: "HTTP 503 on every attempt since 2027-03-09",
            failedDeliveries: 17,
            disabledAt: "2027-03-12T10:00:00Z",
            // Not the API reference, and not /admin/webhooks (not built yet): the console's start.
            adminUrl: "https://learn.example.com/admin",
          },
          dueAt: null,
        },
      ],
    });
  });

  it("plans data the template renders", async () => {
    const plan = await planFor(disabled({ failedDeliveries: 0 }), context);
    if (plan.kind !== "notify") throw new Error(`expected a notice, got ${plan.kind}`);
    for (const notice of plan.notices) {
      const rendered = renderNotice(
        notice.template,
        { ...notice.data, name: "Ada" },
        { locale: "en", timeZone: "UTC", unsubscribeUrl: null },
      );
      expect(rendered.email.text).toContain("0 deliveries to it were given up.");
    }
  });

  it("leaves credentials and the query string out of the address it shows", async () => {
    const plan = await planFor(
      disabled({ url: "https://integrator:s3cret@hooks.example.net/in/T0001/XyZ?token=abc&x=1#frag" }),
      context,
    );
    if (plan.kind !== "notify") throw new Error(`expected a notice, got ${plan.kind}`);
    expect(plan.notices[0]?.data.endpoint).toBe("https://hooks.example.net/in/T0001/XyZ?…");
    expect(JSON.stringify(plan)).not.toContain("s3cret");
    expect(JSON.stringify(plan)).not.toContain("token=abc");
  });
});

describe("shownEndpoint", () => {
  it("keeps scheme, host, port and path", () => {
    expect(shownEndpoint("http://hooks.example.net:8443/a/b")).toBe("http://hooks.example.net:8443/a/b");
    expect(shownEndpoint("https://hooks.example.net")).toBe("https://hooks.example.net/");
  });

  it("percent-encodes what the URL parser encodes (markup in a path), and cuts a long path", () => {
    expect(shownEndpoint('https://hooks.example.net/<b>"x"')).toBe("https://hooks.example.net/%3Cb%3E%22x%22");
    const long = shownEndpoint(`https://hooks.example.net/${"a".repeat(1_000)}?secret=1`);
    expect(long).toHaveLength(302);
    expect(long.endsWith("a…?…")).toBe(true);
  });

  it("shows nothing of an address that does not parse", () => {
    expect(shownEndpoint("not a url with a s3cret")).toBe("(an address that cannot be read)");
  });
});
