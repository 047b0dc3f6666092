import { v7 as uuidv7 } from "uuid";
import type {
  AuthRpc,
  ContactProfile,
  CourseOutline,
  CoursesRpc,
  LiveMessage,
  LivePublishResult,
  MailRecipient,
  ProgressRpc,
  RpcResult,
  UsersRpc,
} from "@platform/contracts";

/**
 * The services the notifications worker asks over RPC, as small stand-ins typed by their contracts: who has which
 * address (auth), how to address them (users), what a course is called (courses), and the live hubs (progress).
 * A test sets what each answers; `unavailable` switches a service off.
 */
export function standIns() {
  const recipients = new Map<string, MailRecipient>();
  const profiles = new Map<string, ContactProfile>();
  const courses = new Map<string, CourseOutline>();
  const published: { userId: string; message: LiveMessage }[] = [];
  const down = { auth: false, users: false, courses: false, progress: false };

  const AUTH: Pick<AuthRpc, "mailRecipient"> = {
    mailRecipient: async (userId): Promise<RpcResult<MailRecipient, "not_found" | "unavailable">> => {
      if (down.auth) return { ok: false, code: "unavailable" };
      const recipient = recipients.get(userId);
      return recipient ? { ok: true, value: recipient } : { ok: false, code: "not_found" };
    },
  };
  const USERS: Pick<UsersRpc, "contactProfile"> = {
    contactProfile: async (userId): Promise<RpcResult<ContactProfile, "not_found" | "unavailable">> => {
      if (down.users) return { ok: false, code: "unavailable" };
      const profile = profiles.get(userId);
      return profile ? { ok: true, value: profile } : { ok: false, code: "not_found" };
    },
  };
  const COURSES: Pick<CoursesRpc, "courseOutline"> = {
    courseOutline: async (courseId): Promise<RpcResult<CourseOutline, "not-found" | "unavailable">> => {
      if (down.courses) return { ok: false, code: "unavailable" };
      const course = courses.get(courseId);
      return course ? { ok: true, value: course } : { ok: false, code: "not-found" };
    },
  };
  const PROGRESS: Pick<ProgressRpc, "publishLive"> = {
    publishLive: async (userId, message): Promise<RpcResult<LivePublishResult, "invalid_message" | "unavailable">> => {
      if (down.progress) return { ok: false, code: "unavailable" };
      published.push({ userId, message });
      return { ok: true, value: { seq: published.length, sockets: 1 } };
    },
  };

  return {
    AUTH,
    USERS,
    COURSES,
    PROGRESS,
    down,
    published,
    /** A person with an active account at this address and a profile (unless `profile: null`). */
    person(options: { email?: string; name?: string; locale?: string; timeZone?: string; profile?: false } = {}) {
      const userId = uuidv7();
      const email = options.email ?? `learner-${userId}@example.com`;
      recipients.set(userId, { email, emailVerified: true, status: "active" });
      if (options.profile !== false) {
        profiles.set(userId, {
          name: options.name ?? "Ada Lovelace",
          locale: options.locale ?? "en",
          timeZone: options.timeZone ?? "Europe/London",
        });
      }
      return { userId, email };
    },
    disable(userId: string) {
      const recipient = recipients.get(userId);
      if (recipient) recipients.set(userId, { ...recipient, status: "disabled" });
    },
    course(title = "Distributed Systems", slug = `distributed-systems-${uuidv7().slice(-6)}`): CourseOutline {
      const course: CourseOutline = {
        id: uuidv7(),
        title,
        slug,
        status: "published",
        lessons: [],
        readAt: new Date().toISOString(),
      };
      courses.set(course.id, course);
      return course;
    },
  };
}

export type StandIns = ReturnType<typeof standIns>;
