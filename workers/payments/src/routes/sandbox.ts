import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ProblemError } from "@platform/http-kit";
import { defineRoute, documentByHand, problem, publicAccess } from "@platform/service-kit";
import { returnUrls } from "../checkout-rules.ts";
import { paymentsMode, publicOrigin, webhookSecretFor } from "../config.ts";
import type { PaymentsEnv } from "../env.ts";
import { sandboxCheckoutPath } from "../provider/sandbox.ts";
import { closedBecause, describe, findSandboxCheckout } from "../sandbox/checkout.ts";
import { deliverToSelf } from "../sandbox/deliver.ts";
import { sandboxCheckoutEvents, type SandboxChoice } from "../sandbox/events.ts";
import { checkoutPage } from "../sandbox/page.ts";

const sessionParam = z.object({ sessionId: z.string().regex(/^cs_test_[A-Za-z0-9]{1,80}$/) });
const PAGE = "/api/payments/sandbox/checkout/{sessionId}";

/** Stands in for Stripe's hosted checkout, which the buyer's browser opens from the checkout link without our token. */
const buyersBrowser = publicAccess(
  "the sandbox's stand-in for Stripe's hosted checkout: the buyer's browser opens it from the checkout link, " +
    "without a bearer token; it answers only where the sandbox runs (no Stripe key, local origins)",
);

const page = defineRoute(buyersBrowser, {
  method: "get",
  operationId: "showSandboxCheckout",
  path: PAGE,
  summary: "The sandbox's checkout page (only when no Stripe key is configured, on local origins)",
  tags: ["payments"],
  request: { params: sessionParam },
  responses: {
    200: { description: "An HTML page with Pay and Decline buttons", content: { "text/html": { schema: z.string() } } },
    404: problem("No such sandbox checkout, or payments go through Stripe here"),
  },
});

const choose = (choice: SandboxChoice) =>
  defineRoute(buyersBrowser, {
    method: "post",
    operationId: choice === "pay" ? "paySandboxCheckout" : "declineSandboxCheckout",
    path: `${PAGE}/${choice}`,
    summary:
      choice === "pay"
        ? "Sandbox: pay the checkout (sends this service a signed checkout.session.completed)"
        : "Sandbox: decline the checkout (the payment fails; a subscription checkout expires)",
    tags: ["payments"],
    request: { params: sessionParam },
    responses: {
      303: { description: "Back to the site's return page" },
      404: problem("No such sandbox checkout"),
      409: problem("The checkout is closed"),
    },
  });

async function sandboxCheckout(c: Context<PaymentsEnv>, sessionId: string) {
  if (paymentsMode(c.env, c.req.url).kind !== "sandbox") {
    throw new ProblemError("not-found", { detail: "There is no sandbox here: payments go through Stripe." });
  }
  const checkout = await findSandboxCheckout(c.var.database().db, sessionId);
  if (!checkout) throw new ProblemError("not-found", { detail: "No such checkout." });
  return checkout;
}

export const sandboxRoutes = new OpenAPIHono<PaymentsEnv>();

// Registered by hand: the page is HTML and the buttons answer redirects, which typed routes do not
// describe.
sandboxRoutes.get(page.getRoutingPath(), documentByHand(sandboxRoutes, page), async (c) => {
  const parsed = sessionParam.safeParse({ sessionId: c.req.param("sessionId") });
  if (!parsed.success) throw new ProblemError("not-found", { detail: "No such checkout." });
  const { sessionId } = parsed.data;
  const checkout = await sandboxCheckout(c, sessionId);
  const path = sandboxCheckoutPath(sessionId);
  c.header("cache-control", "no-store");
  c.header(
    "content-security-policy",
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  );
  return c.html(
    checkoutPage({
      title: checkout.row.description,
      what: describe(checkout),
      amountMinor: checkout.row.amountMinor,
      currency: checkout.row.currency,
      closedBecause: closedBecause(checkout, new Date()),
      payAction: `${path}/pay`,
      declineAction: `${path}/decline`,
    }),
  );
});

for (const choice of ["pay", "decline"] as const) {
  const route = choose(choice);
  sandboxRoutes.post(route.getRoutingPath(), documentByHand(sandboxRoutes, route), async (c) => {
    const parsed = sessionParam.safeParse({ sessionId: c.req.param("sessionId") });
    if (!parsed.success) throw new ProblemError("not-found", { detail: "No such checkout." });
    const checkout = await sandboxCheckout(c, parsed.data.sessionId);
    const now = new Date();
    const closed = closedBecause(checkout, now);
    if (closed) throw new ProblemError("conflict", { detail: closed });
    const secret = webhookSecretFor(c.env, c.req.url);
    if (!secret) throw new Error("the sandbox is active without a webhook secret");
    const events = await sandboxCheckoutEvents(checkout, choice, now);
    await deliverToSelf(c.var.loopback, new URL(c.req.url).origin, secret, events, c.var.correlationId);
    const urls = returnUrls(publicOrigin(c.env, c.req.url), checkout.kind, checkout.row.id);
    const back = (choice === "pay" ? urls.successUrl : urls.cancelUrl).replace(
      "{CHECKOUT_SESSION_ID}",
      parsed.data.sessionId,
    );
    return c.redirect(back, 303);
  });
}
