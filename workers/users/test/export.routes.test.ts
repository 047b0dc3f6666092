import pg from "pg";
import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import type {
  AccountExport,
  AuthRpc,
  CoursesRpc,
  NotificationRecords,
  NotificationsRpc,
  PaymentsRpc,
  ProgressRecords,
  ProgressRpc,
  RpcResult,
} from "@platform/contracts";
import { inProcess, principal, type Principal } from "../../../test/support/in-process.ts";
import { app } from "../src/app.ts";

/**
 * `GET /api/users/me/export` in-process against the real users schema, the other parts' owners as stand-ins
 * typed by their RPC contracts: each part lands where the export's format says, asked for the caller alone, and
 * when any owner cannot answer (says `unavailable`, or its binding throws) the answer is a 503 problem, never an
 * export with a part missing. The same export through the whole stack, with real records: export.platform.test.ts.
 */
const db = new pg.Pool({ connectionString: inject("routesDatabaseUrl") });
afterAll(() => db.end());

const PROGRESS: ProgressRecords = {
  courses: [
    {
      courseId: "0198f0a0-0000-7000-8000-000000000001",
      courseTitle: "Knots",
      enrolledAt: "2026-01-01T10:00:00.000Z",
      startedAt: "2026-01-02T10:00:00.000Z",
      lastActivityAt: "2026-01-03T10:00:00.000Z",
      lastLessonId: "0198f0a0-0000-7000-8000-000000000002",
      completedAt: "2026-01-03T10:00:00.000Z",
    },
  ],
  lessons: [
    {
      lessonId: "0198f0a0-0000-7000-8000-000000000002",
      courseId: "0198f0a0-0000-7000-8000-000000000001",
      lessonTitle: "Reef knot",
      firstViewedAt: "2026-01-02T10:00:00.000Z",
      completedAt: "2026-01-03T10:00:00.000Z",
      positionSeconds: 12.5,
      positionUpdatedAt: "2026-01-03T09:59:00.000Z",
      updatedAt: "2026-01-03T10:00:00.000Z",
    },
  ],
  certificates: [
    {
      id: "0198f0a0-0000-7000-8000-000000000003",
      courseId: "0198f0a0-0000-7000-8000-000000000001",
      courseTitle: "Knots",
      learnerName: "Ella Export",
      completedAt: "2026-01-03T10:00:00.000Z",
      issuedAt: "2026-01-03T10:00:02.000Z",
      revokedAt: null,
      revokedReason: null,
      credentialJwt: "header.payload.signature",
    },
  ],
};

const NOTIFICATIONS: NotificationRecords = {
  preferences: [{ category: "learning", channel: "push", enabled: false, updatedAt: "2026-01-04T10:00:00.000Z" }],
  notices: [
    {
      id: "0198f0a0-0000-7000-8000-000000000004",
      category: "learning",
      template: "course-completed",
      title: "Course completed",
      body: "You completed Knots",
      link: "/learning/certificates",
      createdAt: "2026-01-03T10:00:03.000Z",
      readAt: null,
    },
  ],
  pushSubscriptions: [
    {
      id: "0198f0a0-0000-7000-8000-000000000005",
      endpointOrigin: "https://push.example.net",
      userAgent: "Firefox",
      createdAt: "2026-01-02T10:00:00.000Z",
      lastSuccessAt: null,
    },
  ],
  deliveries: [
    {
      id: "0198f0a0-0000-7000-8000-000000000006",
      channel: "email",
      category: "learning",
      template: "course-completed",
      locale: "en",
      emailAddress: "ella@example.com",
      status: "sent",
      attempts: 1,
      createdAt: "2026-01-03T10:00:03.000Z",
      sentAt: "2026-01-03T10:00:04.000Z",
      lastError: null,
    },
  ],
};

type Part = "account" | "learning" | "payments" | "progress" | "notifications";
type Failure = "unavailable" | "throws";

/** The owners of the parts, answering for one person; each part can be told to fail. Who was asked is recorded. */
function owners(owner: string) {
  const failing = new Map<Part, Failure>();
  const asked: string[] = [];
  const answer = async <T>(part: Part, userId: string, value: T): Promise<RpcResult<T, "unavailable">> => {
    asked.push(`${part} ${userId}`);
    const failure = failing.get(part);
    if (failure === "throws") throw new Error(`${part}: the binding could not reach its worker`);
    if (failure === "unavailable") return { ok: false, code: "unavailable" };
    if (userId !== owner) throw new Error(`${part} asked for ${userId}, not the caller`);
    return { ok: true, value };
  };
  const account: AccountExport = {
    id: owner,
    email: "ella@example.com",
    roles: ["learner"],
    status: "active",
    createdAt: "2026-01-01T09:00:00.000Z",
    liveSessions: 1,
  };
  const bindings: {
    AUTH: Pick<AuthRpc, "exportAccount">;
    COURSES: Pick<CoursesRpc, "learnerRecords">;
    PAYMENTS: PaymentsRpc;
    PROGRESS: Pick<ProgressRpc, "progressRecords">;
    NOTIFICATIONS: Pick<NotificationsRpc, "notificationRecords">;
  } = {
    AUTH: { exportAccount: (userId) => answer("account", userId, account) },
    COURSES: {
      learnerRecords: (userId) => answer("learning", userId, { enrollments: [], subscriptionAccess: [] }),
    },
    PAYMENTS: { paymentRecords: (userId) => answer("payments", userId, { purchases: [], subscriptions: [] }) },
    PROGRESS: { progressRecords: (userId) => answer("progress", userId, PROGRESS) },
    NOTIFICATIONS: { notificationRecords: (userId) => answer("notifications", userId, NOTIFICATIONS) },
  };
  return { bindings, failing, asked };
}

let ella: Principal;
let stand: ReturnType<typeof owners>;
let users: ReturnType<typeof inProcess>;
beforeEach(async () => {
  ella = principal("learner");
  await db.query("insert into users.profiles (user_id, name, email) values ($1, 'Ella Export', 'ella@example.com')", [
    ella.userId,
  ]);
  stand = owners(ella.userId);
  users = inProcess(app, stand.bindings);
});

const exportAs = (who: Principal) => users.request("GET", "/api/users/me/export", { as: who });

describe("GET /api/users/me/export", () => {
  it("puts the progress service's records under learning and the notifications service's under notifications", async () => {
    const response = await exportAs(ella);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("attachment");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.body).toMatchObject({
      account: { id: ella.userId },
      profile: { id: ella.userId, name: "Ella Export" },
      learning: {
        enrollments: [],
        subscriptionAccess: [],
        progress: { courses: PROGRESS.courses, lessons: PROGRESS.lessons },
        certificates: PROGRESS.certificates,
      },
      payments: { purchases: [], subscriptions: [] },
      notifications: NOTIFICATIONS,
    });
    // Every owner was asked once, for the caller and nobody else.
    expect(stand.asked.sort()).toEqual(
      ["account", "learning", "notifications", "payments", "progress"].map((part) => `${part} ${ella.userId}`),
    );
  });

  it.each<[Part, Failure]>([
    ["progress", "unavailable"],
    ["progress", "throws"],
    ["notifications", "unavailable"],
    ["notifications", "throws"],
    ["learning", "unavailable"],
    ["payments", "throws"],
    ["account", "unavailable"],
    ["account", "throws"],
  ])("when %s %s, answers 503 problem+json and no partial export", async (part, failure) => {
    stand.failing.set(part, failure);
    const response = await exportAs(ella);
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("content-disposition")).toBeNull();
    expect(response.body).toMatchObject({ type: "/problems/service-unavailable", status: 503 });
    expect(JSON.stringify(response.body)).not.toContain("Knots");
  });

  it("answers 404 problem+json when auth has no such account (erased)", async () => {
    const erased = inProcess(app, {
      ...stand.bindings,
      AUTH: { exportAccount: async () => ({ ok: false, code: "not_found" }) } satisfies Pick<AuthRpc, "exportAccount">,
    });
    const response = await erased.request("GET", "/api/users/me/export", { as: ella });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});
