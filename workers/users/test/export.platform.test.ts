import { beforeAll, describe, expect, it, vi } from "vitest";
import { api } from "../../../test/support/api.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";
import { testSubscriber } from "../../notifications/test/support/push-subscriber.ts";

/**
 * A learner's export on the whole stack, with what the progress and notifications workers keep about them,
 * gathered over the real service bindings: the course they enrolled in and completed, each lesson, the
 * certificate the completion issued, the in-app notices it and the registration made, their choices, their
 * browser's push subscription and the delivery log. Another learner in the same course, with progress and a
 * subscription of their own, shows up nowhere in it.
 */
interface Export {
  account: { id: string };
  learning: {
    enrollments: { courseId: string; via: string }[];
    progress: {
      courses: {
        courseId: string;
        courseTitle: string | null;
        enrolledAt: string | null;
        completedAt: string | null;
      }[];
      lessons: { lessonId: string; courseId: string; lessonTitle: string | null; completedAt: string | null }[];
    };
    certificates: { id: string; courseId: string; courseTitle: string; learnerName: string; credentialJwt: string }[];
  };
  notifications: {
    preferences: { category: string; channel: string; enabled: boolean }[];
    notices: { id: string; template: string; title: string }[];
    pushSubscriptions: { id: string; endpointOrigin: string | null; userAgent: string | null }[];
    deliveries: { channel: string; template: string; status: string; emailAddress: string | null }[];
  };
}

let course: CourseBody;
let lessonIds: string[];

beforeAll(async () => {
  const author = await instructor("export-author");
  course = await publishedCourse(author, { title: "Exportable Knots" });
  const outline = await api<{ lessons: { id: string }[] }>("GET", `/api/courses/${course.id}/lessons`, {
    token: author.token,
  });
  expect(outline.status).toBe(200);
  lessonIds = outline.body.lessons.map((lesson) => lesson.id);
  expect(lessonIds).toHaveLength(3);
});

/** Waits until nothing is pending for this person: later notices are then not pushed to a subscription made now. */
async function settled(person: Person, template: string) {
  // vi.waitFor, not expect.poll: this runs in a hook, where expect.poll may not.
  await vi.waitFor(async () => {
    const { rows } = await db.query<{ pending: number; total: number }>(
      "select count(*) filter (where status = 'pending')::int as pending, count(*)::int as total from notifications.deliveries where user_id = $1 and template = $2",
      [person.userId, template],
    );
    expect(rows[0]?.pending, `${template} deliveries still pending`).toBe(0);
    expect(rows[0]?.total).toBeGreaterThan(0);
  }, ASYNC_EFFECTS);
}

async function enrollAndComplete(person: Person, lessons: readonly string[]) {
  expect((await api("POST", `/api/courses/${course.id}/enroll`, { token: person.token })).status).toBe(201);
  for (const lesson of lessons) {
    const done = await api("POST", `/api/progress/lessons/${lesson}`, {
      token: person.token,
      body: { event: "completed" },
    });
    expect(done.status).toBe(200);
  }
}

async function subscribePush(person: Person, endpoint: string): Promise<string> {
  const created = await api<{ id: string }>("POST", "/api/notifications/push-subscriptions", {
    token: person.token,
    body: {
      endpoint,
      expirationTime: null,
      // Real keys, as a browser makes them; nothing is pushed to this subscription (see `settled`).
      keys: testSubscriber().keys,
    },
    headers: { "user-agent": "Export Test Browser" },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe("a learner's export", () => {
  let graduate: Person;
  let classmate: Person;
  let certificateId: string;
  let subscriptionId: string;
  let classmateSubscriptionId: string;

  beforeAll(async () => {
    graduate = await learner("export-graduate");
    classmate = await learner("export-classmate");
    await enrollAndComplete(graduate, lessonIds);
    // The classmate: same course, one lesson done, so their progress sits in the same tables.
    await enrollAndComplete(classmate, lessonIds.slice(0, 1));

    // COURSE_COMPLETED goes through the outbox and the Queue to progress (the certificate) and notifications.
    certificateId = await vi.waitFor(async () => {
      const mine = await api<{ items: { id: string }[] }>("GET", "/api/progress/certificates", {
        token: graduate.token,
      });
      expect(mine.body.items).toHaveLength(1);
      return mine.body.items[0]?.id ?? "";
    }, ASYNC_EFFECTS);
    await settled(graduate, "course-completed");
    await settled(classmate, "welcome");

    const turnedOff = await api("PUT", "/api/notifications/preferences", {
      token: graduate.token,
      body: { preferences: [{ category: "onboarding", channel: "email", enabled: false }] },
    });
    expect(turnedOff.status).toBe(200);
    subscriptionId = await subscribePush(graduate, `https://push.example.net/wpush/v2/${crypto.randomUUID()}`);
    classmateSubscriptionId = await subscribePush(classmate, `https://fcm.example.com/fcm/send/${crypto.randomUUID()}`);
  });

  it("holds the course, every lesson and the certificate, from the progress service", async () => {
    const exported = await api<Export>("GET", "/api/users/me/export", { token: graduate.token });
    expect(exported.status).toBe(200);
    const { learning } = exported.body;
    expect(learning.enrollments).toEqual([expect.objectContaining({ courseId: course.id, via: "free_enrollment" })]);
    expect(learning.progress.courses).toEqual([
      expect.objectContaining({
        courseId: course.id,
        courseTitle: "Exportable Knots",
        enrolledAt: expect.any(String),
        completedAt: expect.any(String),
      }),
    ]);
    expect(learning.progress.lessons.map((lesson) => lesson.lessonId)).toEqual(lessonIds);
    expect(learning.progress.lessons.every((lesson) => lesson.completedAt !== null)).toBe(true);
    expect(learning.progress.lessons.map((lesson) => lesson.lessonTitle)).toEqual([
      "Preview lesson",
      "Second lesson",
      "Third lesson",
    ]);
    expect(learning.certificates).toEqual([
      expect.objectContaining({
        id: certificateId,
        courseId: course.id,
        courseTitle: "Exportable Knots",
        learnerName: "User export-graduate",
        credentialJwt: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      }),
    ]);
  });

  it("holds the notices, choices, push subscription and delivery log, from the notifications service", async () => {
    const exported = await api<Export>("GET", "/api/users/me/export", { token: graduate.token });
    expect(exported.status).toBe(200);
    const { notifications } = exported.body;
    expect(notifications.notices.map((notice) => notice.template)).toEqual(
      expect.arrayContaining(["welcome", "course-completed"]),
    );
    expect(notifications.preferences).toEqual([
      expect.objectContaining({ category: "onboarding", channel: "email", enabled: false }),
    ]);
    expect(notifications.pushSubscriptions).toEqual([
      {
        id: subscriptionId,
        endpointOrigin: "https://push.example.net",
        userAgent: "Export Test Browser",
        createdAt: expect.any(String),
        lastSuccessAt: null,
      },
    ]);
    expect(notifications.deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: "in_app",
          template: "course-completed",
          status: "sent",
          emailAddress: null,
        }),
        expect.objectContaining({ channel: "email", template: "welcome", emailAddress: expect.stringContaining("@") }),
      ]),
    );
  });

  it("holds nothing of the classmate in the same course", async () => {
    const exported = await api<Export>("GET", "/api/users/me/export", { token: graduate.token });
    expect(exported.status).toBe(200);
    const serialised = JSON.stringify(exported.body);
    expect(serialised).not.toContain(classmate.userId);
    expect(serialised).not.toContain(classmateSubscriptionId);
    expect(serialised).not.toContain("fcm.example.com");
    expect(serialised).not.toContain("export-classmate");
    const { rows } = await db.query<{ id: string }>("select id from notifications.notices where user_id = $1", [
      classmate.userId,
    ]);
    expect(rows.length).toBeGreaterThan(0);
    for (const { id } of rows) expect(serialised).not.toContain(id);

    // And the classmate's own export holds their one lesson, not the graduate's completion.
    const theirs = await api<Export>("GET", "/api/users/me/export", { token: classmate.token });
    expect(theirs.status).toBe(200);
    expect(theirs.body.learning.progress.lessons.map((lesson) => lesson.lessonId)).toEqual(lessonIds.slice(0, 1));
    expect(theirs.body.learning.certificates).toEqual([]);
    expect(theirs.body.notifications.pushSubscriptions.map((subscription) => subscription.id)).toEqual([
      classmateSubscriptionId,
    ]);
    expect(JSON.stringify(theirs.body)).not.toContain(certificateId);
  });
});
