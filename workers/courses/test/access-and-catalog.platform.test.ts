import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { triggerOutboxSweep } from "@platform/dev-stack";
import { api, gatewayUrl } from "../../../test/support/api.ts";
import { db } from "../../../test/support/database.ts";
import { instructor, learner, type Person } from "../../../test/support/people.ts";
import { publishedCourse, type CourseBody } from "../../../test/support/courses.ts";
import { emitAs } from "../../../test/support/outbox.ts";
import { ASYNC_EFFECTS } from "../../../test/support/polling.ts";

/**
 * Who may read what, and the catalog: locked lessons, free enrollment, access granted and
 * revoked by payment events (applied once), subscriptions, and a catalog cache that course
 * events invalidate.
 */
let author: Person;
beforeAll(async () => {
  author = await instructor("access-author");
});
afterAll(() => db.end());

type LessonList = {
  access: "full" | "preview";
  lessons: Array<{ title: string; locked: boolean; html: string | null; markdown: string | null }>;
};
const lessonsAs = (course: CourseBody, person?: Person) =>
  api<LessonList>("GET", `/api/courses/${course.id}/lessons`, { token: person?.token });

const paid = { amountMinor: 2900, currency: "EUR" };
const now = () => new Date().toISOString();

describe("GET /api/courses/{id}/lessons", () => {
  it("shows a learner without access the preview lesson only; the rest are locked, without content", async () => {
    const course = await publishedCourse(author, { price: paid });
    const someone = await learner("no-access");
    for (const viewer of [someone, undefined]) {
      const listed = await lessonsAs(course, viewer);
      expect(listed.status).toBe(200);
      expect(listed.body.access).toBe("preview");
      expect(listed.body.lessons.map((lesson) => [lesson.title, lesson.locked, lesson.html !== null])).toEqual([
        ["Preview lesson", false, true],
        ["Second lesson", true, false],
        ["Third lesson", true, false],
      ]);
      expect(listed.body.lessons.every((lesson) => lesson.markdown === null)).toBe(true);
    }
    const asAuthor = await lessonsAs(course, author);
    expect(asAuthor.body.access).toBe("full");
    expect(asAuthor.body.lessons[1]?.markdown).toContain("Second lesson");
  });

  it("never lets script written into a lesson reach the page", async () => {
    const course = await publishedCourse(author, { price: null });
    const { rows } = await db.query("select id from courses.lessons where course_id = $1 order by position limit 1", [
      course.id,
    ]);
    await api("PATCH", `/api/courses/${course.id}/lessons/${rows[0].id}`, {
      token: author.token,
      body: { bodyMarkdown: 'Hi <script>alert("x")</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>' },
    });
    const listed = await lessonsAs(course);
    const html = listed.body.lessons[0]?.html ?? "";
    expect(html).not.toMatch(/<script|<img|href="javascript:/i);
    expect(html).toContain("&lt;script&gt;");
  });
});

describe("free enrollment", () => {
  it("joins a free course once (201, then 200) and unlocks every lesson; a paid course says to buy it (409)", async () => {
    const free = await publishedCourse(author, { price: null });
    const someone = await learner("free-enroll");
    const joined = await api("POST", `/api/courses/${free.id}/enroll`, { token: someone.token });
    expect(joined.status).toBe(201);
    expect((await api("POST", `/api/courses/${free.id}/enroll`, { token: someone.token })).status).toBe(200);
    const listed = await lessonsAs(free, someone);
    expect(listed.body.access).toBe("full");
    expect(listed.body.lessons.every((lesson) => !lesson.locked && lesson.html)).toBe(true);
    const { rows } = await db.query(
      "select count(*)::int as n from courses.outbox where type = 'COURSE_ACCESS_GRANTED' and envelope->'data'->>'userId' = $1",
      [someone.userId],
    );
    expect(rows[0].n).toBe(1);

    const paidCourse = await publishedCourse(author, { price: paid });
    const refused = await api<{ detail: string }>("POST", `/api/courses/${paidCourse.id}/enroll`, {
      token: someone.token,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(`/api/payments/courses/${paidCourse.id}`);
    expect((await api("POST", `/api/courses/${free.id}/enroll`)).status).toBe(401);
  });
});

describe("access from payment events", () => {
  it("COURSE_PURCHASED delivered twice grants once; PAYMENT_REFUNDED revokes it and locks the lessons again", async () => {
    const course = await publishedCourse(author, { price: paid });
    const buyer = await learner("buyer");
    const paymentId = crypto.randomUUID();
    const purchase = {
      paymentId,
      userId: buyer.userId,
      courseId: course.id,
      amountMinor: 2900,
      currency: "EUR",
      provider: "sandbox" as const,
      providerReference: `cs_test_${paymentId}`,
      purchasedAt: now(),
    };
    const event = await emitAs("payments", "COURSE_PURCHASED", purchase, "purchase-journey");
    await expect
      .poll(async () => (await lessonsAs(course, buyer)).body.access, {
        ...ASYNC_EFFECTS,
        message: "access from the purchase",
      })
      .toBe("full");

    // The same event again (the relay sends it a second time): still one grant, one event.
    await db.query("update payments.outbox set queued_at = null where id = $1", [event.id]);
    await triggerOutboxSweep(gatewayUrl);
    await expect
      .poll(
        async () =>
          (await db.query("select queued_at from payments.outbox where id = $1", [event.id])).rows[0].queued_at,
        {
          ...ASYNC_EFFECTS,
          message: "the redelivery to be seen",
        },
      )
      .toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const grants = await db.query(
      "select envelope->'metadata'->>'correlationId' as cid from courses.outbox where type = 'COURSE_ACCESS_GRANTED' and envelope->'data'->>'userId' = $1",
      [buyer.userId],
    );
    expect(grants.rows).toEqual([{ cid: "purchase-journey" }]);

    await emitAs("payments", "PAYMENT_REFUNDED", {
      paymentId,
      userId: buyer.userId,
      courseId: course.id,
      amountMinor: 2900,
      currency: "EUR",
      refundReference: "re_1",
      refundedAt: now(),
    });
    await expect
      .poll(async () => (await lessonsAs(course, buyer)).body.access, {
        ...ASYNC_EFFECTS,
        message: "the refund to lock the course",
      })
      .toBe("preview");
    const revoked = await db.query(
      "select envelope->'data'->>'reason' as reason from courses.outbox where type = 'COURSE_ACCESS_REVOKED' and envelope->'data'->>'userId' = $1",
      [buyer.userId],
    );
    expect(revoked.rows).toEqual([{ reason: "refund" }]);
  });

  it("a refund that arrives before its purchase leaves no access behind", async () => {
    const course = await publishedCourse(author, { price: paid });
    const buyer = await learner("out-of-order");
    const paymentId = crypto.randomUUID();
    await emitAs("payments", "PAYMENT_REFUNDED", {
      paymentId,
      userId: buyer.userId,
      courseId: course.id,
      amountMinor: 2900,
      currency: "EUR",
      refundReference: "re_2",
      refundedAt: now(),
    });
    await expect
      .poll(
        async () =>
          (await db.query("select revoked_at from courses.enrollments where reference = $1", [paymentId])).rows[0]
            ?.revoked_at,
        {
          ...ASYNC_EFFECTS,
          message: "the refund to be applied",
        },
      )
      .toBeTruthy();
    const late = await emitAs("payments", "COURSE_PURCHASED", {
      paymentId,
      userId: buyer.userId,
      courseId: course.id,
      amountMinor: 2900,
      currency: "EUR",
      provider: "sandbox",
      providerReference: `cs_test_${paymentId}`,
      purchasedAt: now(),
    });
    await expect
      .poll(
        async () =>
          (await db.query("select 1 from courses.processed_events where event_id = $1", [late.id])).rows.length,
        {
          ...ASYNC_EFFECTS,
          message: "the late purchase to be processed",
        },
      )
      .toBeGreaterThan(0);
    expect((await lessonsAs(course, buyer)).body.access).toBe("preview");
  });

  it("an active subscription opens every course; when it ends, so does that access", async () => {
    const course = await publishedCourse(author, { price: paid });
    const subscriber = await learner("subscriber");
    const subscriptionId = crypto.randomUUID();
    await emitAs("payments", "SUBSCRIPTION_CREATED", {
      subscriptionId,
      userId: subscriber.userId,
      planId: crypto.randomUUID(),
      interval: "month",
      currentPeriodEnd: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    await expect
      .poll(async () => (await lessonsAs(course, subscriber)).body.access, {
        ...ASYNC_EFFECTS,
        message: "subscription access",
      })
      .toBe("full");
    await emitAs("payments", "SUBSCRIPTION_CANCELED", {
      subscriptionId,
      userId: subscriber.userId,
      endsAt: new Date(Date.now() - 1000).toISOString(),
    });
    await expect
      .poll(async () => (await lessonsAs(course, subscriber)).body.access, {
        ...ASYNC_EFFECTS,
        message: "the ended subscription to lock it",
      })
      .toBe("preview");
  });

  it("an integrator's ENROLLMENT_REQUESTED grants access to a published course", async () => {
    const course = await publishedCourse(author, { price: paid });
    const student = await learner("integrator-student");
    await emitAs("events", "ENROLLMENT_REQUESTED", {
      userId: student.userId,
      courseId: course.id,
      reference: "crm-42",
      requestedAt: now(),
    });
    await expect
      .poll(async () => (await lessonsAs(course, student)).body.access, {
        ...ASYNC_EFFECTS,
        message: "integrator access",
      })
      .toBe("full");
    const { rows } = await db.query("select via, reference from courses.enrollments where user_id = $1", [
      student.userId,
    ]);
    expect(rows).toEqual([{ via: "integrator", reference: "crm-42" }]);
  });
});

type CatalogPage = { items: Array<{ id: string; title: string }>; nextCursor: string | null };
const catalog = (query: string) => api<CatalogPage>("GET", `/api/courses?${query}`);

describe("GET /api/courses (the catalog)", () => {
  it("serves a repeated query from the cache, and a publication or an edit invalidates it through its event", async () => {
    const word = `zebra${Date.now().toString(36)}`;
    const first = await catalog(`q=${word}`);
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([]);
    const second = await catalog(`q=${word}`);
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(second.body.items).toEqual([]);

    const course = await publishedCourse(author, { title: `Learning ${word} stripes`, price: null });
    const seen = await vi.waitFor(async () => {
      const page = await catalog(`q=${word}`);
      expect(page.body.items, "the new course in the catalog").toHaveLength(1);
      return page;
    }, ASYNC_EFFECTS);
    expect(seen.body.items[0]).toMatchObject({ id: course.id, title: `Learning ${word} stripes` });

    await api("PATCH", `/api/courses/${course.id}`, {
      token: author.token,
      body: { title: `Mastering ${word} stripes` },
    });
    await expect
      .poll(async () => (await catalog(`q=${word}`)).body.items[0]?.title, {
        ...ASYNC_EFFECTS,
        message: "the edit in the catalog",
      })
      .toBe(`Mastering ${word} stripes`);

    await api("POST", `/api/courses/${course.id}/archive`, { token: author.token });
    await expect
      .poll(async () => (await catalog(`q=${word}`)).body.items, {
        ...ASYNC_EFFECTS,
        message: "the archived course gone from the catalog",
      })
      .toHaveLength(0);
  });

  it("filters by language, level and price, and pages with a cursor", async () => {
    const tag = `filter${Date.now().toString(36)}`;
    const created = [];
    for (const index of [0, 1, 2]) {
      created.push(
        await publishedCourse(author, {
          title: `${tag} number ${index}`,
          price: index === 0 ? null : paid,
          language: "pt-BR",
        }),
      );
    }
    const all = await vi.waitFor(async () => {
      const page = await catalog(`q=${tag}&language=pt-BR&limit=50`);
      expect(page.body.items, "all three in the catalog").toHaveLength(3);
      return page;
    }, ASYNC_EFFECTS);
    expect(all.body.items.map((item) => item.id)).toEqual(created.map((course) => course.id).reverse());
    expect((await catalog(`q=${tag}&price=free`)).body.items.map((item) => item.id)).toEqual([created[0]?.id]);
    expect((await catalog(`q=${tag}&price=paid`)).body.items).toHaveLength(2);
    expect((await catalog(`q=${tag}&language=en`)).body.items).toHaveLength(0);
    expect((await catalog(`q=${tag}&level=advanced`)).body.items).toHaveLength(0);

    const pageOne = await catalog(`q=${tag}&limit=2`);
    expect(pageOne.body.items).toHaveLength(2);
    expect(pageOne.body.nextCursor).not.toBeNull();
    const pageTwo = await catalog(`q=${tag}&limit=2&cursor=${encodeURIComponent(pageOne.body.nextCursor ?? "")}`);
    expect(pageTwo.body.items.map((item) => item.id)).toEqual([created[0]?.id]);
    expect(pageTwo.body.nextCursor).toBeNull();

    expect((await catalog("cursor=bm9wZQ")).status).toBe(400);
    expect((await catalog("level=expert")).status).toBe(400);
    expect((await catalog("limit=500")).status).toBe(400);
  });
});

describe("GET /api/courses/mine", () => {
  it("lists the instructor's courses with enrollment and completion counts; learners get 403", async () => {
    const own = await instructor("counting-author");
    const course = await publishedCourse(own, { price: null });
    const [one, two] = await Promise.all([learner("count-1"), learner("count-2")]);
    await api("POST", `/api/courses/${course.id}/enroll`, { token: one.token });
    await api("POST", `/api/courses/${course.id}/enroll`, { token: two.token });
    await emitAs("progress", "COURSE_COMPLETED", { userId: one.userId, courseId: course.id, completedAt: now() });
    const mine = await vi.waitFor(async () => {
      const page = await api<{ items: Array<{ id: string; enrolled: number; completed: number }> }>(
        "GET",
        "/api/courses/mine",
        {
          token: own.token,
        },
      );
      expect(page.body.items[0]?.completed, "the completion counted").toBe(1);
      return page;
    }, ASYNC_EFFECTS);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: course.id, enrolled: 2, completed: 1 })]);
    expect((await api("GET", "/api/courses/mine", { token: one.token })).status).toBe(403);
  });
});
