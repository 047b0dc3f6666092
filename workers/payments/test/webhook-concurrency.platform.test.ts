import { beforeAll, describe, expect, it } from "vitest";
import { triggerOutboxSweep } from "@platform/dev-stack";
import { gatewayUrl } from "../../../test/support/api.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { accessGrants, paymentEvents, stripeEventRows } from "./support/ledger.ts";
import { checkout } from "./support/purchases.ts";
import { outcomesOf, stripe } from "./support/stripe.ts";

/**
 * The same webhook sent five times at once, for 100 purchases: each purchase is applied once,
 * COURSE_PURCHASED is written once, and the courses service grants exactly 100 times.
 */

const BUYERS = 10;
const COURSES = 10;
/** Purchases whose five deliveries are in flight together (50 requests at once). */
const PARALLEL_PURCHASES = 10;

let buyers: Person[];
let courses: CourseBody[];

beforeAll(async () => {
  const author = await instructor("burst-author");
  courses = [];
  for (let index = 0; index < COURSES; index += 1) {
    courses.push(await publishedCourse(author, { price: { amountMinor: 1000 + index, currency: "EUR" } }));
  }
  buyers = await Promise.all(Array.from({ length: BUYERS }, (_, index) => learner(`burst-buyer-${index}`)));
}, 180_000);

describe("concurrent webhook deliveries", () => {
  it("100 purchases × the same checkout.session.completed 5 times concurrently → exactly 100 grants", async () => {
    const pairs = buyers.flatMap((buyer) => courses.map((course) => ({ buyer, course })));
    const paymentIds: string[] = [];
    const eventIds: string[] = [];
    const outcomes: string[][] = [];
    for (let start = 0; start < pairs.length; start += PARALLEL_PURCHASES) {
      await Promise.all(
        pairs.slice(start, start + PARALLEL_PURCHASES).map(async ({ buyer, course }) => {
          const opened = await checkout(buyer, course);
          const paid = await stripe.completeCheckout(opened.sessionId, { deliver: false });
          const event = paid.events[0];
          if (!event) throw new Error("no completion event");
          const { deliveries } = await stripe.deliverEvent(event.id, { times: 5, concurrently: true });
          paymentIds.push(opened.paymentId);
          eventIds.push(event.id);
          outcomes.push(outcomesOf(deliveries));
        }),
      );
    }
    expect(paymentIds).toHaveLength(100);
    // Every delivery was answered 200; for each event exactly one applied it.
    for (const perEvent of outcomes) {
      expect(
        perEvent.filter((outcome) => outcome === "applied"),
        perEvent.join(","),
      ).toHaveLength(1);
      expect(
        perEvent.filter((outcome) => outcome === "duplicate"),
        perEvent.join(","),
      ).toHaveLength(4);
    }
    expect(await stripeEventRows(eventIds)).toBe(100);
    expect(await paymentEvents("COURSE_PURCHASED", paymentIds)).toBe(100);

    await expect
      .poll(() => accessGrants(paymentIds), { timeout: 60_000, interval: 500, message: "100 grants" })
      .toEqual({ events: 100, enrollments: 100 });
    // A sweep relays anything left and redelivers nothing twice.
    await triggerOutboxSweep(gatewayUrl);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await accessGrants(paymentIds)).toEqual({ events: 100, enrollments: 100 });
  });
});
