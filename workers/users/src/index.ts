import type { EventOutcome } from "@platform/contracts";
import { SUBSCRIPTIONS, type PlatformEvent } from "@platform/events";
import { DomainWorker } from "@platform/service-kit/worker";
import { app } from "./app.ts";
import type { Database } from "./db/database.ts";
import * as schema from "./db/schema.ts";
import type { UsersBindings } from "./env.ts";
import { applyUserCreated } from "./profiles.ts";

export default class UsersWorker extends DomainWorker<UsersBindings, typeof schema> {
  protected readonly service = { name: "users", schema, app, consumes: SUBSCRIPTIONS.USERS };

  /** USER_CREATED: the new account gets its profile, once. */
  protected override async applyEvent(db: Database, event: PlatformEvent): Promise<EventOutcome> {
    return event.type === "USER_CREATED" ? applyUserCreated(db, event) : "ignored";
  }
}
