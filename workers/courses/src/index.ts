import { WorkerEntrypoint } from "cloudflare:workers";
import {
  databaseMiddleware,
  openDatabase,
  relayAfterWrites,
  relayThenClose,
  relayPendingEvents,
  serviceHealthHandler,
} from "@platform/db";
import { parseEvent } from "@platform/events";
import { createApiApp, serveOpenApiDocument } from "@platform/http-kit/openapi";
import type { CourseForSale, CoursesRpc, EventConsumerRpc, EventOutcome } from "@platform/contracts";
import { hasAccess } from "./access.ts";
import { priceOf } from "./courses.ts";
import { abortAbandonedUploads } from "./media/abandoned.ts";
import { findCourse } from "./permissions.ts";
import * as schema from "./db/schema.ts";
import type { CoursesBindings, CoursesEnv } from "./env.ts";
import { applyEvent } from "./event-handlers.ts";
import { authoringRoutes } from "./routes/authoring.ts";
import { catalogRoutes } from "./routes/catalog.ts";
import { enrollmentRoutes } from "./routes/enrollment.ts";
import { lessonRoutes } from "./routes/lessons.ts";
import { mediaRoutes } from "./routes/media.ts";
import { sectionRoutes } from "./routes/sections.ts";

/** An upload with no new part for this long is abandoned. */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

const app = createApiApp<CoursesEnv>({ service: "courses" });
// After a write has answered, its events go to the Queue at once (the cron sweep catches any left).
app.use(databaseMiddleware(schema, { afterResponse: relayAfterWrites("courses", schema.outbox) }));
app.get("/health", serviceHealthHandler("courses"));
serveOpenApiDocument(app, {
  title: "Edge Learning: courses",
  version: "0.1.0",
  tags: [
    { name: "courses", description: "The catalog, authoring and enrollment" },
    { name: "lessons", description: "Sections and lessons of a course" },
  ],
});
// The catalog first: `/api/courses/mine` must not be read as a course id.
app.route("/", catalogRoutes);
app.route("/", authoringRoutes);
app.route("/", sectionRoutes);
app.route("/", lessonRoutes);
app.route("/", enrollmentRoutes);
app.route("/", mediaRoutes);

export default class CoursesWorker extends WorkerEntrypoint<CoursesBindings> implements EventConsumerRpc, CoursesRpc {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  /** The seed's `hasAccess(userId, courseId)`, for other workers (progress, notifications). */
  async hasAccess(userId: string, courseId: string): Promise<boolean> {
    return this.withDatabase((db) => hasAccess(db, userId, courseId), { writesEvents: false });
  }

  /**
   * What the payments worker needs to sell a course: its title, status and price (null: free).
   * Undefined when there is no such course.
   */
  async courseForSale(courseId: string): Promise<CourseForSale | undefined> {
    return this.withDatabase(async (db) => {
      const course = await findCourse(db, courseId);
      return course && { id: course.id, title: course.title, slug: course.slug, status: course.status, price: priceOf(course) };
    }, { writesEvents: false });
  }

  /** Purchases, refunds, subscriptions, integrators' enrollments and catalog invalidation arrive here. */
  async handleEvent(input: unknown): Promise<EventOutcome> {
    const parsed = parseEvent(input);
    if (!parsed.ok) throw new Error(`not a valid event: ${parsed.issues.join("; ")}`);
    return this.withDatabase((db) => applyEvent(db, this.env.CATALOG_CACHE, parsed.event));
  }

  /**
   * The cron's other chore here: aborts uploads nobody has added a part to for a day, so R2
   * does not keep their parts. Resolves to how many were aborted.
   */
  async abortAbandonedUploads(): Promise<number> {
    const idleSince = new Date(Date.now() - ABANDONED_AFTER_MS);
    return this.withDatabase((db) => abortAbandonedUploads(db, this.env.MEDIA, idleSince), {
      writesEvents: false,
    });
  }

  /** The cron sweep's entry (through the gateway's binding): relays what the fast path left. */
  async relayOutbox(): Promise<number> {
    return relayPendingEvents(this.env, schema, schema.outbox, this.env.EVENTS_QUEUE);
  }

  /** Runs RPC work on its own pool; events it may have written are relayed after it answers. */
  private async withDatabase<T>(
    work: (db: ReturnType<typeof openDatabase<typeof schema>>["db"]) => Promise<T>,
    { writesEvents = true }: { writesEvents?: boolean } = {},
  ): Promise<T> {
    const database = openDatabase(this.env, schema);
    try {
      return await work(database.db);
    } finally {
      this.ctx.waitUntil(relayThenClose("courses", database, schema.outbox, this.env.EVENTS_QUEUE, { writesEvents }));
    }
  }
}
