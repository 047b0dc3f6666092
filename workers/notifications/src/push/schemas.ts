import { z } from "@hono/zod-openapi";
import { authProblem, p256dhProblem } from "./subscription-keys.ts";

/** Endpoints of real push services are a few hundred characters; this only bounds what we store. */
const MAX_ENDPOINT_CHARS = 2048;

const endpoint = z
  .url({ protocol: /^https?$/, normalize: false })
  .max(MAX_ENDPOINT_CHARS)
  .openapi({
    description: "The push service's URL for this browser (https; RFC 8030)",
    example: "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABl…",
  });

/**
 * Key checks are refinements, so a bad key is a field error beside the others (`json.keys.p256dh`). `p256dh` is
 * async: only importing it tells whether the point lies on the curve.
 */
const p256dh = z
  .string()
  .max(200)
  .superRefine(async (value, context) => {
    const problem = await p256dhProblem(value);
    if (problem) context.addIssue({ code: "custom", message: `p256dh ${problem}` });
  })
  .openapi({
    description: "The browser's P-256 ECDH public key, uncompressed point, base64url (65 bytes)",
    example: "BA22gtfx0CBbSjgyhN9JkQ943ryDQDIzVsiyxB7kSUiFmZ6Mvs2SeUuaJt1CB-hOCtKRbzevdh52j8MStf5bGZo",
  });

const auth = z
  .string()
  .max(100)
  .superRefine((value, context) => {
    const problem = authProblem(value);
    if (problem) context.addIssue({ code: "custom", message: `auth ${problem}` });
  })
  .openapi({
    description: "The shared authentication secret, base64url (16 bytes)",
    example: "jeDsNL_Qz-FFDQeFMRDhmA",
  });

/** What `PushSubscription.toJSON()` gives in the browser, as it is posted. */
export const subscriptionBody = z
  .object({
    endpoint,
    expirationTime: z.number().nullable().optional().openapi({
      description:
        "When the browser will drop the subscription (ms since the epoch); not used, the push service's 410 is",
    }),
    keys: z.object({ p256dh, auth }),
  })
  .openapi("PushSubscriptionInput");

export const subscriptionSchema = z
  .object({
    id: z.uuid(),
    endpoint: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .openapi("PushSubscription");

export const endpointBody = z.object({ endpoint }).openapi("PushSubscriptionEndpoint");

export const endpointQuery = z.object({
  endpoint: endpoint.optional().openapi({ description: "The endpoint to remove, when it is not sent as the body" }),
});

export const publicKeySchema = z
  .object({
    publicKey: z.string().openapi({
      description: "The VAPID public key (uncompressed P-256 point, base64url): the browser's `applicationServerKey`",
    }),
  })
  .openapi("PushPublicKey");
