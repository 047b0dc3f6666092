import type { DatabaseBindings, EventsQueueBindings } from "@platform/db";
import type { DomainEnv } from "@platform/service-kit";
import type * as schema from "./db/schema.ts";

/** So far only its database and the Queue its outbox is relayed to. */
export type NotificationsBindings = DatabaseBindings & EventsQueueBindings;

export type NotificationsEnv = DomainEnv<NotificationsBindings, typeof schema>;
