import { z } from "zod";

/** The five Kafka topics of the seed; every event type belongs to exactly one. */
export const TOPICS = [
  "user-events",
  "course-events",
  "payment-events",
  "progress-events",
  "notification-events",
] as const;
export type Topic = (typeof TOPICS)[number];

const role = z.enum(["learner", "instructor", "admin"]);
const id = z.uuid();
const instant = z.iso.datetime({ offset: true });
/** Money is integer minor units plus an ISO 4217 code (DESIGN §5). */
const amountMinor = z.int().min(0);
const currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code in capitals");

/**
 * Access and progress are about one learner in one course; keying their events by the pair keeps
 * a grant before its revocation, and a lesson completion before the course completion, on one
 * Kafka partition.
 */
const learnerInCourse = (data: { userId: string; courseId: string }) => `${data.userId}:${data.courseId}`;

/**
 * Every event type the platform emits: its topic, schema version, data schema, personal data and
 * aggregate key (the Kafka message key). Writing an event whose data fails its schema throws at the
 * writer; the Queue consumers and the Kafka bridge's inbound side validate against the same schemas.
 *
 * `personalData` names the data fields that identify or describe a person beyond the opaque account
 * id (contact data, names, pictures, settings). Inside the platform the events carry them (the users
 * service makes the profile from USER_CREATED's name); the Kafka bridge never publishes them: Kafka
 * keeps a message for the topic's retention and hands it to every integrator, and an erasure cannot
 * take it back (`publicProjection`, docs/kafka-bridge.md#what-integrators-get). Every type must
 * declare the list, empty or not, so a new type decides; a unit test fails on a personal-looking
 * field that is not listed.
 */
export const EVENT_CATALOG = {
  USER_CREATED: {
    topic: "user-events",
    version: 1,
    data: z.object({
      userId: id,
      email: z.email(),
      name: z.string().min(1).max(200),
      roles: z.array(role).min(1),
    }),
    personalData: ["email", "name"],
    aggregateId: (data: { userId: string }) => data.userId,
  },
  USER_UPDATED: {
    topic: "user-events",
    version: 1,
    data: z.object({
      userId: id,
      roles: z.array(role).min(1).optional(),
      status: z.enum(["active", "disabled"]).optional(),
      name: z.string().min(1).max(200).optional(),
      avatarUrl: z.url().nullable().optional(),
      locale: z.string().min(2).max(35).optional(),
      timeZone: z.string().min(1).max(64).optional(),
    }),
    personalData: ["name", "avatarUrl", "locale", "timeZone"],
    aggregateId: (data: { userId: string }) => data.userId,
  },
  USER_DELETED: {
    topic: "user-events",
    version: 1,
    data: z.object({ userId: id }),
    personalData: [],
    aggregateId: (data: { userId: string }) => data.userId,
  },

  COURSE_CREATED: {
    topic: "course-events",
    version: 1,
    data: z.object({ courseId: id, authorId: id, title: z.string().min(1).max(200), slug: z.string().min(1).max(120) }),
    personalData: [],
    aggregateId: (data: { courseId: string }) => data.courseId,
  },
  COURSE_UPDATED: {
    topic: "course-events",
    version: 1,
    data: z.object({
      courseId: id,
      authorId: id,
      /** Which fields changed, so a cache can decide whether it cares without a lookup. */
      changed: z.array(z.string().min(1).max(64)).min(1),
      status: z.enum(["draft", "published", "archived"]),
    }),
    personalData: [],
    aggregateId: (data: { courseId: string }) => data.courseId,
  },
  COURSE_PUBLISHED: {
    topic: "course-events",
    version: 1,
    data: z.object({
      courseId: id,
      authorId: id,
      title: z.string().min(1).max(200),
      slug: z.string().min(1).max(120),
      /** Null for a free course. */
      price: z.object({ amountMinor: amountMinor.min(1), currency }).nullable(),
      publishedAt: instant,
    }),
    personalData: [],
    aggregateId: (data: { courseId: string }) => data.courseId,
  },
  LESSON_ADDED: {
    topic: "course-events",
    version: 1,
    data: z.object({
      courseId: id,
      lessonId: id,
      title: z.string().min(1).max(200),
      kind: z.enum(["video", "text", "file"]),
      position: z.int().min(0),
      freePreview: z.boolean(),
    }),
    personalData: [],
    aggregateId: (data: { courseId: string }) => data.courseId,
  },
  /**
   * An integrator (another school's system, a CRM) asks for a learner to be enrolled. It arrives
   * through the Kafka bridge's inbound topic; the courses service decides and, if it agrees,
   * emits COURSE_ACCESS_GRANTED with `via: "integrator"`.
   */
  ENROLLMENT_REQUESTED: {
    topic: "course-events",
    version: 1,
    data: z.object({
      userId: id,
      courseId: id,
      /** The integrator's own reference for the enrollment (an order or contract number). */
      reference: z.string().min(1).max(200),
      requestedAt: instant,
    }),
    personalData: [],
    aggregateId: learnerInCourse,
  },
  COURSE_ACCESS_GRANTED: {
    topic: "course-events",
    version: 1,
    data: z.object({
      userId: id,
      courseId: id,
      /** What the access rests on; a refund revokes only what a purchase granted. */
      via: z.enum(["purchase", "subscription", "free_enrollment", "integrator"]),
      /** The payment, subscription or external reference behind it, when there is one. */
      reference: z.string().min(1).max(200).nullable(),
      grantedAt: instant,
    }),
    personalData: [],
    aggregateId: learnerInCourse,
  },
  COURSE_ACCESS_REVOKED: {
    topic: "course-events",
    version: 1,
    data: z.object({
      userId: id,
      courseId: id,
      reason: z.enum(["refund", "subscription_ended", "dispute", "admin"]),
      reference: z.string().min(1).max(200).nullable(),
      revokedAt: instant,
    }),
    personalData: [],
    aggregateId: learnerInCourse,
  },

  COURSE_PURCHASED: {
    topic: "payment-events",
    version: 1,
    data: z.object({
      paymentId: id,
      userId: id,
      courseId: id,
      amountMinor,
      currency,
      provider: z.enum(["stripe", "sandbox"]),
      providerReference: z.string().min(1).max(255),
      purchasedAt: instant,
    }),
    personalData: [],
    aggregateId: (data: { paymentId: string }) => data.paymentId,
  },
  PAYMENT_REFUNDED: {
    topic: "payment-events",
    version: 1,
    data: z.object({
      paymentId: id,
      userId: id,
      courseId: id.nullable(),
      amountMinor,
      currency,
      refundReference: z.string().min(1).max(255),
      refundedAt: instant,
    }),
    personalData: [],
    aggregateId: (data: { paymentId: string }) => data.paymentId,
  },
  SUBSCRIPTION_CREATED: {
    topic: "payment-events",
    version: 1,
    data: z.object({
      subscriptionId: id,
      userId: id,
      planId: id,
      interval: z.enum(["month", "year"]),
      currentPeriodEnd: instant,
    }),
    personalData: [],
    aggregateId: (data: { subscriptionId: string }) => data.subscriptionId,
  },
  SUBSCRIPTION_CANCELED: {
    topic: "payment-events",
    version: 1,
    data: z.object({
      subscriptionId: id,
      userId: id,
      /** When access actually ends: the period end for a cancel-at-period-end, now for an immediate end. */
      endsAt: instant,
    }),
    personalData: [],
    aggregateId: (data: { subscriptionId: string }) => data.subscriptionId,
  },

  LESSON_VIEWED: {
    topic: "progress-events",
    version: 1,
    data: z.object({
      userId: id,
      courseId: id,
      lessonId: id,
      positionSeconds: z.number().min(0).nullable(),
      viewedAt: instant,
    }),
    personalData: [],
    aggregateId: learnerInCourse,
  },
  LESSON_COMPLETED: {
    topic: "progress-events",
    version: 1,
    data: z.object({ userId: id, courseId: id, lessonId: id, completedAt: instant }),
    personalData: [],
    aggregateId: learnerInCourse,
  },
  COURSE_COMPLETED: {
    topic: "progress-events",
    version: 1,
    data: z.object({ userId: id, courseId: id, completedAt: instant }),
    personalData: [],
    aggregateId: learnerInCourse,
  },

  NOTIFICATION_SENT: {
    topic: "notification-events",
    version: 1,
    data: z.object({
      notificationId: id,
      userId: id,
      channel: z.enum(["email", "push", "in_app"]),
      template: z.string().min(1).max(100),
      /** The event that caused it, so a journey can be traced from payment to e-mail. */
      causedBy: id.nullable(),
      sentAt: instant,
    }),
    personalData: [],
    aggregateId: (data: { userId: string }) => data.userId,
  },
  /**
   * The event router stopped delivering to an integrator's webhook endpoint that kept failing
   * (docs/integrators.md#webhooks); `userId` is the admin who owns the endpoint, who is told.
   */
  WEBHOOK_ENDPOINT_DISABLED: {
    topic: "notification-events",
    version: 1,
    data: z.object({
      endpointId: id,
      userId: id,
      url: z.url(),
      /** Why, in words (the last failure and how long it has been failing). */
      reason: z.string().min(1).max(1_000),
      /** Deliveries given up on when it was disabled. */
      failedDeliveries: z.int().min(0),
      disabledAt: instant,
    }),
    personalData: [],
    aggregateId: (data: { endpointId: string }) => data.endpointId,
  },
} as const satisfies Record<
  string,
  {
    topic: Topic;
    version: number;
    data: z.ZodObject;
    personalData: readonly string[];
    aggregateId: (data: never) => string;
  }
>;

export type EventType = keyof typeof EVENT_CATALOG;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_CATALOG)[T]["data"]>;

/** The data fields of a type that never leave the platform (see `personalData` above). */
export type PersonalField<T extends EventType> = (typeof EVENT_CATALOG)[T]["personalData"][number];

/** Fails to compile when a type lists a personal field its data does not have (a typo would leak the real one). */
type UndeclaredPersonalFields = {
  [T in EventType]: Exclude<PersonalField<T>, keyof EventData<T>>;
}[EventType];
const personalFieldsAreDataFields: [UndeclaredPersonalFields] extends [never] ? true : never = true;
void personalFieldsAreDataFields;

export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_CATALOG, type);
}

export function topicOf(type: EventType): Topic {
  return EVENT_CATALOG[type].topic;
}

/** The only events integrators may feed in; everything else they send is dead-lettered. */
export const INBOUND_EVENT_TYPES: readonly EventType[] = ["ENROLLMENT_REQUESTED"];
