import { payloadOf, signatureFor, standInClient, type EventObject } from "@platform/stripe-stand-in";
import { CLIENT_ADDRESS_HEADER, nextClientAddress } from "../client-addresses.ts";
import type { Scenario } from "../scenario.ts";
import { buyersAndCourses, inBatches, measureRequests, startPaymentsBench, type TimedRequest } from "./checkout.ts";

const NAME = "webhooks";
const CONNECTIONS = 10;
const PATH = "/api/payments/webhooks/stripe";

export const webhooks: Scenario = {
  name: NAME,
  description:
    `POST ${PATH} through the gateway, ${CONNECTIONS} at once, each delivery signed as Stripe signs it: ` +
    "new checkout.session.completed events for pending purchases (signature check over the raw body, the event-id " +
    "dedupe row, the purchase locked and moved to paid, COURSE_PURCHASED in the outbox, then the relay to the Queue); " +
    "the same events again (a redelivery: answered from the dedupe row); and deliveries with a wrong signature " +
    "(refused with 400, nothing read or written). p50/p95 and deliveries per second.",
  async run({ durations, say }) {
    const quick = durations.maxThroughput.secondsPerRound < 5;
    const bench = await startPaymentsBench(say);
    try {
      const { buyers, courses } = await buyersAndCourses(
        bench.gatewayUrl,
        { buyers: quick ? 8 : 20, courses: quick ? 10 : 20 },
        say,
      );
      const pairs = buyers.flatMap((token) => courses.map((courseId) => ({ token, courseId })));
      say(`${NAME}: opening ${pairs.length} checkouts and paying them at the stand-in (events kept back) …`);
      const stripe = standInClient(bench.standIn.url);
      const events = await inBatches(pairs, 8, async ({ token, courseId }) => {
        const response = await fetch(new URL(`/api/payments/courses/${courseId}`, bench.gatewayUrl), {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, [CLIENT_ADDRESS_HEADER]: nextClientAddress() },
        });
        const body = (await response.json()) as { checkoutUrl: string };
        if (response.status !== 201) throw new Error(`checkout answered ${response.status}`);
        const sessionId = new URL(body.checkoutUrl).pathname.split("/").at(-1) ?? "";
        const paid = await stripe.completeCheckout(sessionId, { deliver: false });
        return paid.events[0] as EventObject;
      });

      const url = new URL(PATH, bench.gatewayUrl).href;
      // Signed just before each run, so the 300 s tolerance holds however long the set-up took.
      const delivery = (event: EventObject, secret: string): TimedRequest => {
        const payload = payloadOf(event);
        return {
          method: "POST",
          url,
          headers: {
            "content-type": "application/json",
            "stripe-signature": signatureFor(payload, secret),
            [CLIENT_ADDRESS_HEADER]: nextClientAddress(),
          },
          body: payload,
        };
      };
      const row = (id: string, variant: string, expectedStatuses: number[]) => ({
        scenario: NAME,
        id: `${NAME}/${id}`,
        variant,
        route: "gateway" as const,
        path: PATH,
        expectedStatuses,
      });
      const warm = Math.min(20, Math.floor(events.length / 10));
      await inBatches(events.slice(0, warm), 4, (event) => {
        const request = delivery(event, bench.webhookSecret);
        return fetch(request.url, { method: "POST", headers: request.headers, body: request.body ?? "" }).then(
          (response) => response.arrayBuffer(),
        );
      });
      const measured = events.slice(warm);
      say(`${NAME}: ${measured.length} new events …`);
      const fresh = await measureRequests(
        row("new-event", "new event: purchase paid", [200]),
        measured.map((event) => delivery(event, bench.webhookSecret)),
        CONNECTIONS,
      );
      say(`${NAME}: the same ${measured.length} events again …`);
      const duplicate = await measureRequests(
        row("redelivery", "redelivered event (deduplicated)", [200]),
        measured.map((event) => delivery(event, bench.webhookSecret)),
        CONNECTIONS,
      );
      say(`${NAME}: ${measured.length} deliveries signed with the wrong secret …`);
      const forged = await measureRequests(
        row("wrong-signature", "wrong signature (refused)", [400]),
        measured.map((event) => delivery(event, "whsec_not_the_endpoint_secret")),
        CONNECTIONS,
      );
      return [fresh, duplicate, forged];
    } finally {
      await bench.stop();
    }
  },
};
