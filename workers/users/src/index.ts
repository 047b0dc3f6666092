import type { EventOutcome, UsersRpc } from "@platform/contracts";
import { SUBSCRIPTIONS, type PlatformEvent } from "@platform/events";
import { DomainWorker } from "@platform/service-kit/worker";
import { app } from "./app.ts";
import type { Database } from "./db/database.ts";
import * as schema from "./db/schema.ts";
import type { UsersBindings } from "./env.ts";
import { applyUserCreated, applyUserDeleted, findProfile, isErased } from "./profiles.ts";

export default class UsersWorker extends DomainWorker<UsersBindings, typeof schema> implements UsersRpc {
  protected readonly service = { name: "users", schema, app, consumes: SUBSCRIPTIONS.USERS };

  /** USER_CREATED: the new account gets its profile, once. USER_DELETED: the profile goes, a tombstone stays. */
  protected override async applyEvent(db: Database, event: PlatformEvent): Promise<EventOutcome> {
    if (event.type === "USER_CREATED") return applyUserCreated(db, event);
    if (event.type === "USER_DELETED") return applyUserDeleted(db, event);
    return "ignored";
  }

  /** The name on a learner's certificate (the progress worker asks when it issues one). */
  async learnerName(userId: string): ReturnType<UsersRpc["learnerName"]> {
    return this.withDatabaseResult(
      async (db) => {
        const profile = await findProfile(db, userId);
        if (profile) return { ok: true, value: profile.name };
        // No profile: gone for good if erased, else not made yet (its USER_CREATED is still on the way).
        return { ok: false, code: (await isErased(db, userId)) ? "not_found" : "pending" };
      },
      { writesEvents: false },
    );
  }

  /** How the notifications worker addresses a person: name, language, time zone. */
  async contactProfile(userId: string): ReturnType<UsersRpc["contactProfile"]> {
    return this.withDatabaseResult(
      async (db) => {
        const profile = await findProfile(db, userId);
        return profile
          ? { ok: true, value: { name: profile.name, locale: profile.locale, timeZone: profile.timeZone } }
          : { ok: false, code: "not_found" };
      },
      { writesEvents: false },
    );
  }
}
