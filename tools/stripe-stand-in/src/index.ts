export { startStripeStandIn, type StandInOptions, type StripeStandIn } from "./server.ts";
export { standInClient, type StandInClient, type ControlResult, type LoggedRequest } from "./client.ts";
export { deliver, payloadOf, signatureFor, type DeliveryResult, type DeliveryOptions } from "./webhooks.ts";
export { parseStripeForm } from "./form.ts";
export { ids as stripeIds } from "./ids.ts";
export {
  API_VERSION,
  StandInState,
  type EventObject,
  type StripeObject,
  type SessionObject,
  type ChargeObject,
  type SubscriptionObject,
  type InvoiceObject,
  type CustomerObject,
  type DeletedCustomerObject,
} from "./state.ts";
