import { describe, expect, inject, it, vi } from "vitest";
import { GOOD_PASSWORD, api, gatewayUrl, newClientAddress, uniqueEmail, type TokenPair } from "../support/api.ts";
import { publishedCourse } from "../support/courses.ts";
import { scrapeMetrics, valueOf, parseExposition, type ScrapedSample } from "../support/metrics.ts";
import { instructor, learner } from "../support/people.ts";
import { ASYNC_EFFECTS } from "../support/polling.ts";
import { checkout, lessonsAccess } from "../../workers/payments/test/support/purchases.ts";
import { stripe, WEBHOOK_PATH } from "../../workers/payments/test/support/stripe.ts";

/**
 * The gateway's Prometheus view of every worker's metrics (docs/observability.md#metrics): known
 * traffic, then the counters it should have moved, each by exactly as much. Platform files run one
 * at a time, so between two scrapes only this file's requests reach these series.
 */
const DOMAIN_SERVICES = ["auth", "users", "courses", "payments", "progress", "notifications", "events"];

const delta =
  (before: readonly ScrapedSample[], after: readonly ScrapedSample[]) =>
  (name: string, labels: Record<string, string> = {}) =>
    valueOf(after, name, labels) - valueOf(before, name, labels);

describe("GET /metrics", () => {
  it("is not public: no token or a wrong one gets 401 problem+json with a Bearer challenge, and no series", async () => {
    for (const authorization of [undefined, "Bearer wrong-token", `Basic ${btoa(`x:${inject("metricsToken")}`)}`]) {
      const response = await fetch(`${gatewayUrl}/metrics`, {
        headers: { ...(authorization && { authorization }), "cf-connecting-ip": newClientAddress() },
      });
      expect(response.status, authorization ?? "no token").toBe(401);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toContain("http_requests_total");
    }
  });

  it("serves every worker's series in the text format, each family's TYPE once, with outbox and dead-letter gauges", async () => {
    const response = await fetch(`${gatewayUrl}/metrics`, {
      headers: { authorization: `Bearer ${inject("metricsToken")}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    const typeLines = text.split("\n").filter((line) => line.startsWith("# TYPE "));
    expect(new Set(typeLines).size, "a TYPE line repeated").toBe(typeLines.length);
    expect(text).toContain("# TYPE http_request_duration_seconds histogram");

    const samples = parseExposition(text);
    for (const service of DOMAIN_SERVICES) {
      const pending = samples.find((s) => s.name === "outbox_pending_events" && s.labels.service === service);
      expect(pending?.labels.schema, `${service}'s outbox gauge`).toBe(service);
      expect(pending?.value).toBeGreaterThanOrEqual(0);
      expect(samples.some((s) => s.name === "outbox_oldest_pending_age_seconds" && s.labels.service === service)).toBe(
        true,
      );
    }
    expect(samples.find((s) => s.name === "events_dead_letters")?.labels).toEqual({ service: "events" });
    expect(valueOf(samples, "metrics_scrape_errors_total")).toBe(0);
  });

  it("counts requests per worker and route pattern, with a duration histogram whose count matches", async () => {
    const before = await scrapeMetrics();
    const missing = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    for (const id of missing) expect((await api("GET", `/api/courses/${id}`)).status).toBe(404);
    const after = await scrapeMetrics();
    const moved = delta(before, after);

    const route = { service: "courses", method: "GET", route: "/api/courses/:id" };
    expect(moved("http_requests_total", { ...route, code: "404" })).toBe(3);
    expect(moved("http_request_duration_seconds_count", route)).toBe(3);
    expect(moved("http_request_duration_seconds_bucket", { ...route, le: "+Inf" })).toBe(3);
    expect(moved("http_request_duration_seconds_sum", route)).toBeGreaterThan(0);
    // The gateway saw them too, under its own route pattern; never a path with the ids in it.
    expect(moved("http_requests_total", { service: "gateway", route: "/api/:service/*", code: "404" })).toBe(3);
    expect(after.some((sample) => missing.some((id) => JSON.stringify(sample.labels).includes(id)))).toBe(false);
  });

  it("counts registrations, sign-ins by outcome, the lock-out, refresh-token reuse and the 429s", async () => {
    const before = await scrapeMetrics();
    const client = newClientAddress();
    const headers = { "cf-connecting-ip": client };
    const email = uniqueEmail("metrics");
    expect(
      (await api("POST", "/api/auth/register", { headers, body: { email, password: GOOD_PASSWORD, name: "Metrics" } }))
        .status,
    ).toBe(201);
    const signIn = (password: string) =>
      api<TokenPair>("POST", "/api/auth/login", { headers, body: { email, password } });
    const first = await signIn(GOOD_PASSWORD);
    expect(first.status).toBe(200);
    // The test stack locks a pair at its 6th failure (LOGIN_LOCK_AFTER) for 3 s; failures 3 to 5 each make the
    // next attempt wait (1 s, then 2 s: LOGIN_MAX_DELAY_SECONDS), so the test waits them out to be counted as tries.
    const waitsAfter = [0, 0, 1_000, 2_000, 2_000];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      expect((await signIn("not the password at all")).status, `failure ${attempt + 1}`).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, (waitsAfter[attempt] ?? 0) + 150));
    }
    // Locked: refused before the password is read, right or not.
    expect((await signIn(GOOD_PASSWORD)).status).toBe(429);

    // A refresh token used again after the grace window (2 s on the test stack) revokes the family.
    const rotated = await api("POST", "/api/auth/refresh", { body: { refreshToken: first.body.refreshToken } });
    expect(rotated.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const replayed = await api("POST", "/api/auth/refresh", { body: { refreshToken: first.body.refreshToken } });
    expect(replayed.status).toBe(401);

    // Six registrations from one address: the sixth meets the gateway's limit (5 in 4 s on the test stack).
    const registrar = { "cf-connecting-ip": newClientAddress() };
    const statuses = [];
    for (let index = 0; index < 6; index += 1) {
      const body = { email: uniqueEmail(`metrics-burst-${index}`), password: GOOD_PASSWORD, name: "Burst" };
      statuses.push((await api("POST", "/api/auth/register", { headers: registrar, body })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);

    const moved = delta(before, await scrapeMetrics());
    expect(moved("auth_registrations_total", { service: "auth" })).toBe(6);
    expect(moved("auth_sign_ins_total", { outcome: "succeeded" })).toBe(1);
    // Every failure that reached the password check, as the throttle let them through; the 7th was refused unread.
    expect(
      moved("auth_sign_ins_total", { outcome: "refused" }) + moved("auth_sign_ins_total", { outcome: "locked" }),
    ).toBe(7);
    expect(moved("auth_sign_ins_total", { outcome: "locked" })).toBeGreaterThanOrEqual(1);
    expect(moved("auth_lockouts_total")).toBe(1);
    expect(moved("auth_refresh_reuse_detected_total")).toBe(1);
    expect(moved("gateway_rate_limited_total", { service: "gateway", limit: "register" })).toBe(1);
  });

  it("counts a purchase, its webhook, a refused forged webhook, the refund and a course completion", async () => {
    const author = await instructor("metrics-author");
    const course = await publishedCourse(author, { price: { amountMinor: 4200, currency: "EUR" } });
    const buyer = await learner("metrics-buyer");
    const before = await scrapeMetrics();

    const opened = await checkout(buyer, course);
    await stripe.completeCheckout(opened.sessionId);
    await vi.waitFor(async () => expect((await lessonsAccess(course, buyer)).access).toBe("full"), ASYNC_EFFECTS);
    const forged = await api("POST", WEBHOOK_PATH, {
      body: { id: "evt_forged", type: "checkout.session.completed" },
      headers: { "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}` },
    });
    expect(forged.status).toBe(400);

    // Every lesson completed: the course is, once (its lessons reach progress through events, hence the wait).
    const outline = await lessonsAccess(course, buyer);
    const lessons = (outline as unknown as { lessons: { id: string }[] }).lessons;
    for (const lesson of lessons) {
      await vi.waitFor(async () => {
        const done = await api("POST", `/api/progress/lessons/${lesson.id}`, {
          token: buyer.token,
          body: { event: "completed" },
        });
        expect(done.status).toBe(200);
      }, ASYNC_EFFECTS);
    }
    const refunded = await api("POST", `/api/payments/${opened.paymentId}/refund`, { token: buyer.token });
    expect(refunded.status).toBe(200);

    const moved = delta(before, await scrapeMetrics());
    expect(moved("payments_purchases_total", { service: "payments" })).toBe(1);
    expect(moved("payments_refunds_total", { service: "payments" })).toBe(1);
    expect(moved("payments_webhooks_total", { outcome: "applied" })).toBeGreaterThanOrEqual(1);
    expect(moved("payments_webhooks_total", { outcome: "rejected" })).toBe(1);
    expect(moved("progress_course_completions_total", { service: "progress" })).toBe(1);
    // The purchase's events went through the Queue's router.
    expect(moved("events_queue_messages_total", { service: "events", outcome: "delivered" })).toBeGreaterThan(0);
    // Mail about it (the confirmation, the refund) is sent by the notifications worker, after the events arrive.
    await vi.waitFor(async () => {
      const now = delta(before, await scrapeMetrics());
      expect(now("notifications_deliveries_total", { service: "notifications", outcome: "sent" })).toBeGreaterThan(0);
    }, ASYNC_EFFECTS);
  });
});
