import type { EventOutcome, LiveMessage, ProgressRecords, ProgressRpc, RpcResult } from "@platform/contracts";
import { SUBSCRIPTIONS, type PlatformEvent } from "@platform/events";
import { DomainWorker } from "@platform/service-kit/worker";
import { app } from "./app.ts";
import { issueCertificateFor } from "./certificates/issue.ts";
import type { Database } from "./db/database.ts";
import * as schema from "./db/schema.ts";
import type { ProgressBindings } from "./env.ts";
import { applyEvent } from "./event-handlers.ts";
import { publishLive } from "./live/publish-live.ts";
import { progressRecords } from "./progress-records.ts";

export { LiveHub } from "./live/hub.ts";

export default class ProgressWorker extends DomainWorker<ProgressBindings, typeof schema> implements ProgressRpc {
  protected readonly service = { name: "progress", schema, app, consumes: SUBSCRIPTIONS.PROGRESS };

  /** Course outlines, enrollments, its own COURSE_COMPLETED (certificates) and erasure arrive here. */
  protected override applyEvent(db: Database, event: PlatformEvent): Promise<EventOutcome> {
    return applyEvent(
      db,
      {
        courses: this.env.COURSES,
        issueCertificate: (database, completed) => issueCertificateFor(database, this.env, completed),
      },
      event,
    );
  }

  /** Another worker's message to one person's open devices (the notifications worker's new notices). */
  async publishLive(userId: string, message: LiveMessage): ReturnType<ProgressRpc["publishLive"]> {
    return publishLive(this.env, userId, message);
  }

  /** A person's course and lesson progress and certificates, for their data export (the users worker asks). */
  async progressRecords(userId: string): Promise<RpcResult<ProgressRecords, "unavailable">> {
    return this.withDatabaseResult(async (db) => ({ ok: true, value: await progressRecords(db, userId) }), {
      writesEvents: false,
    });
  }
}
