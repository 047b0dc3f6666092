import { OpenAPIHono } from "@hono/zod-openapi";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { defineRoute, json, problem, publicAccess, signedIn } from "@platform/service-kit";
import type { NotificationsEnv } from "../env.ts";
import { endpointProblem, insecureHostsOf } from "./endpoint-policy.ts";
import { endpointBody, endpointQuery, publicKeySchema, subscriptionBody, subscriptionSchema } from "./schemas.ts";
import { deleteOwnSubscription, saveSubscription } from "./subscriptions.ts";
import { loadVapidKeys } from "./vapid.ts";

/** Push subscriptions and the VAPID public key (docs/notifications-push.md). */

const SUBSCRIPTIONS_PATH = "/api/notifications/push-subscriptions";
/** The key changes only when an operator rotates it, which invalidates every subscription anyway. */
const PUBLIC_KEY_CACHE = "public, max-age=3600";
/** Browsers send a few hundred characters; the column is for telling devices apart, not for analytics. */
const MAX_USER_AGENT_CHARS = 300;

const publicKey = defineRoute(publicAccess("the site subscribes browsers with it before anyone signs in"), {
  method: "get",
  operationId: "getPushPublicKey",
  path: "/api/notifications/push/public-key",
  summary: "The VAPID public key browsers subscribe with",
  description: "Pass it as `applicationServerKey` to `pushManager.subscribe`. Cacheable.",
  tags: ["notifications"],
  responses: {
    200: { description: "The key", content: json(publicKeySchema) },
    404: problem("Web Push is not configured on this deployment"),
  },
});

const subscribe = defineRoute(signedIn, {
  method: "post",
  operationId: "createPushSubscription",
  path: SUBSCRIPTIONS_PATH,
  summary: "Receive Web Push notifications in this browser",
  description:
    "The body is the browser's `PushSubscription.toJSON()`. Idempotent per endpoint: posting it again refreshes its " +
    "keys (200); posting it while signed in as someone else moves it to them (201). Each person keeps at most 20; " +
    "beyond that the one longest without a delivered message is dropped.",
  tags: ["notifications"],
  request: { body: { required: true, content: json(subscriptionBody) } },
  responses: {
    200: { description: "Already this person's: keys updated", content: json(subscriptionSchema) },
    201: { description: "Subscribed", content: json(subscriptionSchema) },
    400: problem("Invalid subscription: an endpoint that is not a push service's https URL, or keys of the wrong size"),
  },
});

const unsubscribe = defineRoute(signedIn, {
  method: "delete",
  operationId: "deletePushSubscription",
  path: SUBSCRIPTIONS_PATH,
  summary: "Stop Web Push notifications to a browser",
  description: "The endpoint goes in the JSON body or in the `endpoint` query parameter. Only the caller's own.",
  tags: ["notifications"],
  request: { query: endpointQuery, body: { required: false, content: json(endpointBody) } },
  responses: {
    204: { description: "Unsubscribed" },
    400: problem("No endpoint given, or not a URL"),
    404: problem("The caller has no subscription with this endpoint"),
  },
});

export const pushRoutes = new OpenAPIHono<NotificationsEnv>()
  .openapi(publicKey, async (c) => {
    const vapid = await loadVapidKeys(c.env);
    if (!vapid) throw new ProblemError("not-found", { detail: "Web Push is not configured on this deployment." });
    c.header("cache-control", PUBLIC_KEY_CACHE);
    return c.json({ publicKey: vapid.publicKey }, 200);
  })
  .openapi(subscribe, async (c) => {
    const { userId } = requirePrincipal(c);
    const body = c.req.valid("json");
    const refused = endpointProblem(body.endpoint, insecureHostsOf(c.env.PUSH_INSECURE_HOSTS));
    if (refused) {
      throw new ProblemError("validation-failed", {
        detail: "One or more fields are invalid.",
        errors: [{ path: "json.endpoint", message: `endpoint ${refused}` }],
      });
    }
    const saved = await saveSubscription(c.var.database().db, userId, {
      endpoint: body.endpoint,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
      userAgent: c.req.header("user-agent")?.slice(0, MAX_USER_AGENT_CHARS) ?? null,
    });
    const answer = { id: saved.id, endpoint: saved.endpoint, createdAt: saved.createdAt.toISOString() };
    return saved.created ? c.json(answer, 201) : c.json(answer, 200);
  })
  .openapi(unsubscribe, async (c) => {
    const { userId } = requirePrincipal(c);
    const endpoint =
      (c.req.valid("json") as { endpoint?: string } | undefined)?.endpoint ?? c.req.valid("query").endpoint;
    if (!endpoint) {
      throw new ProblemError("validation-failed", {
        detail: "Name the subscription to remove.",
        errors: [{ path: "json.endpoint", message: "endpoint is required (in the JSON body or the query)" }],
      });
    }
    // The same answer for someone else's endpoint as for an unknown one: whose it is stays theirs to know.
    if (!(await deleteOwnSubscription(c.var.database().db, userId, endpoint))) {
      throw new ProblemError("not-found", { detail: "You have no push subscription with this endpoint." });
    }
    return c.body(null, 204);
  });
