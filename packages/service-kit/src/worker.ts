import { WorkerEntrypoint } from "cloudflare:workers";
import type { EventConsumerRpc, EventOutcome, OutboxRelayRpc } from "@platform/contracts";
import {
  confirmOutboxEvents,
  openDatabase,
  pruneEventTables,
  readOutboxGauges,
  relayPendingEvents,
  relayThenClose,
  type DatabaseBindings,
  type DatabaseOf,
  type EventsQueueBindings,
  type PruneReport,
} from "@platform/db";
import { parseEvent, type EventType, type PlatformEvent } from "@platform/events";
import {
  continueOrStart,
  errorText,
  gaugeFamily,
  logLine,
  metricsOf,
  rememberMetricsDataset,
  runInSpan,
  type FamilySnapshot,
  type MetricsBindings,
  type MetricsRpc,
} from "@platform/http-kit";
import type { ServiceSchema } from "./app.ts";

/** What the base entrypoint needs to know of its worker. */
export interface DomainService<TSchema extends ServiceSchema, Bindings> {
  readonly name: string;
  readonly schema: TSchema;
  /** The worker's Hono app (from `createDomainApp`). */
  readonly app: { fetch(request: Request, env: Bindings, ctx: ExecutionContext): Response | Promise<Response> };
  /** The event types the router hands this worker (`SUBSCRIPTIONS` in `@platform/events`); none if it consumes nothing. */
  readonly consumes?: readonly EventType[];
}

/** RPC answers for contracts that return result unions: a database failure is this code. */
export type Unavailable = { readonly ok: false; readonly code: "unavailable" };

/**
 * The entrypoint every domain worker extends: HTTP through its app, the cron sweep's
 * `relayOutbox`, event handling for the router, and one way to run RPC work on the database.
 *
 * One error policy for RPC: a failure is logged once, with the service and the error, and then
 * either rethrown (`withDatabase`: callers that retry or map errors themselves, such as the event
 * router) or answered `{ ok: false, code: "unavailable" }` (`withDatabaseResult`: contracts that
 * return result unions, since RPC does not carry error classes).
 */
export abstract class DomainWorker<
  Bindings extends DatabaseBindings & EventsQueueBindings & MetricsBindings,
  TSchema extends ServiceSchema,
>
  extends WorkerEntrypoint<Bindings>
  implements OutboxRelayRpc, EventConsumerRpc, MetricsRpc
{
  protected abstract readonly service: DomainService<TSchema, Bindings>;

  constructor(ctx: ExecutionContext, env: Bindings) {
    super(ctx, env);
    // RPC and Queue work never passes the HTTP middleware: counts made deep in it still reach Analytics Engine.
    rememberMetricsDataset(env);
  }

  override fetch(request: Request): Response | Promise<Response> {
    return this.service.app.fetch(request, this.env, this.ctx);
  }

  /** The cron sweep's entry (through the gateway's binding): relays what the fast path left, re-sends what was never confirmed. */
  async relayOutbox(): Promise<number> {
    const { schema } = this.service;
    return relayPendingEvents(this.env, schema, schema.outbox, this.env.EVENTS_QUEUE);
  }

  /** The cron's retention chore (through the gateway's binding): delivered outbox rows and old dedupe marks go. */
  async pruneEventTables(): Promise<PruneReport> {
    const { schema } = this.service;
    // Only consumers have dedupe marks to prune.
    return pruneEventTables(this.env, schema, { outbox: schema.outbox, processedEvents: schema.processedEvents });
  }

  /** The event router's confirmation that these events of this worker's outbox reached every subscriber. */
  async confirmDelivered(eventIds: readonly string[]): Promise<number> {
    const ids = Array.isArray(eventIds) ? eventIds.filter((id): id is string => typeof id === "string") : [];
    return this.withDatabase((db) => confirmOutboxEvents(db, this.service.schema.outbox, ids), { writesEvents: false });
  }

  /**
   * The gateway's `/metrics` view asks each worker for its series (docs/observability.md#metrics):
   * what this isolate recorded, and the gauges read now. Without the database the gauges are left
   * out (the failure is logged); the counters are still answered.
   */
  async metricsSnapshot(): Promise<FamilySnapshot[]> {
    const recorded = metricsOf(this.service.name).snapshot();
    try {
      const gauges = await this.withDatabase((db) => this.readGauges(db), { writesEvents: false });
      return [...recorded, ...gauges];
    } catch {
      return recorded;
    }
  }

  /** Gauges read at scrape time: the outbox's backlog, and whatever a worker adds (the events worker's dead letters). */
  protected async readGauges(db: DatabaseOf<TSchema>): Promise<FamilySnapshot[]> {
    const { name, schema } = this.service;
    const outbox = await readOutboxGauges(db, schema.outbox);
    const labels = { schema: outbox.schema };
    return [
      gaugeFamily(name, "outbox_pending_events", [{ labels, value: outbox.pending }]),
      gaugeFamily(name, "outbox_oldest_pending_age_seconds", [{ labels, value: outbox.oldestPendingAgeSeconds }]),
    ];
  }

  /**
   * The event router hands every event of a subscribed type here. The envelope is validated
   * again (this worker owns what it changes); `applyEvent` dedupes on the event id. Rejecting
   * asks the router to retry.
   */
  async handleEvent(input: unknown): Promise<EventOutcome> {
    const parsed = parseEvent(input);
    if (!parsed.ok) throw new Error(`not a valid event: ${parsed.issues.join("; ")}`);
    const { event } = parsed;
    if (!this.service.consumes?.includes(event.type)) return "ignored";
    // The event's trace goes on: this consumer's log lines, and any event its effect writes, carry it.
    return runInSpan(continueOrStart(event.metadata.traceparent), () => this.applyLogged(event));
  }

  /** One log line per event this worker consumes: its outcome, or why it failed (the router retries it). */
  private async applyLogged(event: PlatformEvent): Promise<EventOutcome> {
    const fields = { eventType: event.type, eventId: event.id, correlationId: event.metadata.correlationId };
    try {
      const outcome = await this.withDatabase((db) => this.applyEvent(db, event));
      logLine("info", this.service.name, "event", { ...fields, outcome });
      return outcome;
    } catch (error) {
      logLine("error", this.service.name, "event failed", { ...fields, outcome: "failed", error: errorText(error) });
      throw error;
    }
  }

  /** A consumer's effect of one event, applied at most once (`consumeOnce`). */
  protected applyEvent(_db: DatabaseOf<TSchema>, _event: PlatformEvent): Promise<EventOutcome> {
    return Promise.resolve("ignored");
  }

  /**
   * Runs RPC work on its own pool (Workers keep no I/O across requests) and closes it after the
   * answer; work that may write events has them relayed to the Queue first.
   */
  protected async withDatabase<T>(
    work: (db: DatabaseOf<TSchema>) => Promise<T>,
    { writesEvents = true }: { writesEvents?: boolean } = {},
  ): Promise<T> {
    const { name, schema } = this.service;
    const database = openDatabase(this.env, schema);
    try {
      return await work(database.db);
    } catch (error) {
      logLine("error", name, "rpc failed", { error: errorText(error) });
      throw error;
    } finally {
      this.ctx.waitUntil(relayThenClose(name, database, schema.outbox, this.env.EVENTS_QUEUE, { writesEvents }));
    }
  }

  /** `withDatabase` for result-union contracts: a failure answers `unavailable` instead of throwing. */
  protected async withDatabaseResult<T>(
    work: (db: DatabaseOf<TSchema>) => Promise<T>,
    options: { writesEvents?: boolean } = {},
  ): Promise<T | Unavailable> {
    try {
      return await this.withDatabase(work, options);
    } catch {
      return { ok: false, code: "unavailable" };
    }
  }
}
