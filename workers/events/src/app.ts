import { createDomainApp } from "@platform/service-kit";
import * as schema from "./db/schema.ts";
import type { EventsEnv } from "./env.ts";
import { deadLetterRoutes } from "./routes/dead-letters.ts";
import { eventFeedRoutes } from "./routes/event-feed.ts";
import { inboundRoutes } from "./routes/inbound.ts";
import { integratorRoutes } from "./routes/integrators.ts";
import { webhookDeliveryRoutes } from "./routes/webhook-deliveries.ts";
import { webhookEndpointRoutes } from "./routes/webhooks.ts";

export const app = createDomainApp<EventsEnv, typeof schema>({ service: "events", schema });
app.route("/", inboundRoutes);
app.route("/", deadLetterRoutes);
app.route("/", integratorRoutes);
app.route("/", eventFeedRoutes);
app.route("/", webhookEndpointRoutes);
app.route("/", webhookDeliveryRoutes);
