import type { CoursesRpc } from "@platform/contracts";
import type { EventData, EventEnvelope, EventType, PlatformEvent } from "@platform/events";
import type { TemplateName } from "../templates/index.ts";
import { shownEndpoint } from "./shown-endpoint.ts";

/** Each event type's envelope, by type. */
type EventOf = { [T in EventType]: EventEnvelope<T, EventData<T>> };

/** One notice an event asks for: to whom, which template with which data (the greeting is added later). */
export interface PlannedNotice {
  readonly template: TemplateName;
  readonly data: Readonly<Record<string, unknown>>;
  /** Null: now. Later: the deliveries wait until then (subscription-ended, at the end of the paid period). */
  readonly dueAt: Date | null;
}

/**
 * What consuming an event comes to: notices for one person; erasure of everything kept about them; or nothing
 * (a grant that is not a purchase, a course that no longer exists), with the reason for the log.
 */
export type EventPlan =
  | {
      readonly kind: "notify";
      readonly userId: string;
      /** The name to greet with when the person has no profile yet (USER_CREATED races the users worker). */
      readonly fallbackName: string | null;
      readonly notices: readonly PlannedNotice[];
    }
  | { readonly kind: "erase"; readonly userId: string }
  | { readonly kind: "ignore"; readonly reason: string };

export interface PlanContext {
  readonly courses: Pick<CoursesRpc, "courseOutline">;
  /** The platform's public origin; every link in a notice is absolute on it. */
  readonly origin: string;
  readonly now: Date;
}

/** Thrown when a service the notice needs cannot answer now: the router delivers the event again later. */
export class NoticeDeferred extends Error {
  constructor(reason: string) {
    super(`notice deferred: ${reason}`);
    this.name = "NoticeDeferred";
  }
}

/** The site's pages the notices link to (site/src/pages). */
const catalogUrl = (origin: string) => new URL("/courses", origin).href;
const courseUrl = (origin: string, slug: string) => new URL(`/courses/${encodeURIComponent(slug)}`, origin).href;
/**
 * A certificate's id is drawn by the progress worker as it consumes the same COURSE_COMPLETED, so the mail cannot
 * name it; it links the learner's list of certificates instead (docs/notifications.md).
 */
const certificatesUrl = (origin: string) => new URL("/learning/certificates", origin).href;
/**
 * Where an admin enables a disabled webhook endpoint again: the admin console. Its webhooks page (`/admin/webhooks`)
 * does not exist yet, so the notice links the console's start and says "in the admin console".
 */
const adminConsoleUrl = (origin: string) => new URL("/admin", origin).href;

type Planner<T extends EventType> = (event: EventOf[T], context: PlanContext) => Promise<EventPlan>;

const notify = (userId: string, notices: PlannedNotice[], fallbackName: string | null = null): EventPlan => ({
  kind: "notify",
  userId,
  fallbackName,
  notices,
});

/** A course's title and slug, or null when courses no longer has it (a draft, deleted); unavailable defers. */
async function courseOf(context: PlanContext, courseId: string): Promise<{ title: string; slug: string } | null> {
  const outline = await context.courses.courseOutline(courseId);
  if (outline.ok) return { title: outline.value.title, slug: outline.value.slug };
  if (outline.code === "not-found") return null;
  throw new NoticeDeferred("the courses service cannot tell the course's title");
}

const planners = {
  USER_CREATED: async (event, { origin }) =>
    notify(
      event.data.userId,
      [{ template: "welcome", data: { catalogUrl: catalogUrl(origin) }, dueAt: null }],
      event.data.name,
    ),

  // Only a purchase is confirmed by mail: a subscription's or an integrator's grants would be noise.
  COURSE_ACCESS_GRANTED: async (event, context) => {
    if (event.data.via !== "purchase") return { kind: "ignore", reason: `access via ${event.data.via}` };
    const course = await courseOf(context, event.data.courseId);
    if (!course) return { kind: "ignore", reason: "the course is not known to courses" };
    return notify(event.data.userId, [
      {
        template: "purchase-confirmed",
        data: { courseTitle: course.title, courseUrl: courseUrl(context.origin, course.slug) },
        dueAt: null,
      },
    ]);
  },

  SUBSCRIPTION_CREATED: async (event) =>
    notify(event.data.userId, [
      {
        template: "subscription-started",
        data: { interval: event.data.interval, currentPeriodEnd: event.data.currentPeriodEnd },
        dueAt: null,
      },
    ]),

  // Ending later: "ends on …" now, and "has ended" when it does. Ended already: only the latter, now.
  SUBSCRIPTION_CANCELED: async (event, { origin, now }) => {
    const endsAt = new Date(event.data.endsAt);
    const ended: PlannedNotice = {
      template: "subscription-ended",
      data: { endedAt: event.data.endsAt, catalogUrl: catalogUrl(origin) },
      dueAt: endsAt > now ? endsAt : null,
    };
    if (endsAt <= now) return notify(event.data.userId, [ended]);
    return notify(event.data.userId, [
      { template: "subscription-ending", data: { endsAt: event.data.endsAt }, dueAt: null },
      ended,
    ]);
  },

  PAYMENT_REFUNDED: async (event, context) => {
    const course = event.data.courseId ? await courseOf(context, event.data.courseId) : null;
    return notify(event.data.userId, [
      {
        template: "refund-processed",
        data: {
          amountMinor: event.data.amountMinor,
          currency: event.data.currency,
          courseTitle: course?.title ?? null,
        },
        dueAt: null,
      },
    ]);
  },

  COURSE_COMPLETED: async (event, context) => {
    const course = await courseOf(context, event.data.courseId);
    if (!course) return { kind: "ignore", reason: "the course is not known to courses" };
    return notify(event.data.userId, [
      {
        template: "course-completed",
        data: {
          courseTitle: course.title,
          courseUrl: courseUrl(context.origin, course.slug),
          certificateUrl: certificatesUrl(context.origin),
        },
        dueAt: null,
      },
    ]);
  },

  // The admin who owns the endpoint is told which one, why, and how much was given up; security mail, so it is
  // sent whatever they muted: nothing else tells them that their systems stopped hearing from the platform.
  WEBHOOK_ENDPOINT_DISABLED: async (event, { origin }) =>
    notify(event.data.userId, [
      {
        template: "webhook-endpoint-disabled",
        data: {
          endpoint: shownEndpoint(event.data.url),
          reason: event.data.reason,
          failedDeliveries: event.data.failedDeliveries,
          disabledAt: event.data.disabledAt,
          adminUrl: adminConsoleUrl(origin),
        },
        dueAt: null,
      },
    ]),

  USER_DELETED: async (event) => ({ kind: "erase", userId: event.data.userId }),
} satisfies { readonly [T in EventType]?: Planner<T> };

export type NotificationsEventType = keyof typeof planners;

/** What the notifications service does with each type it consumes; `SUBSCRIPTIONS.NOTIFICATIONS` must name exactly these. */
export const NOTIFICATION_PLANNERS: { readonly [T in NotificationsEventType]: Planner<T> } = planners;

export const plans = (type: string): type is NotificationsEventType => Object.hasOwn(NOTIFICATION_PLANNERS, type);

function plan<T extends NotificationsEventType>(type: T, event: EventOf[T], context: PlanContext): Promise<EventPlan> {
  return NOTIFICATION_PLANNERS[type](event, context);
}

/** What an event asks of the notifications service; a type it does not act on is ignored. */
export function planFor(event: PlatformEvent, context: PlanContext): Promise<EventPlan> {
  if (!plans(event.type)) return Promise.resolve({ kind: "ignore", reason: `not a type notifications acts on` });
  return plan(event.type, event as EventOf[NotificationsEventType], context);
}
