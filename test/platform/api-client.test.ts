import { describe, expect, it } from "vitest";
import { createPlatformClient, unwrap, type PlatformClient } from "@platform/api-client";
import { DEMO_COURSES } from "@platform/dev-stack";
import { GOOD_PASSWORD, gatewayUrl, newClientAddress, uniqueEmail } from "../support/api.ts";

/**
 * The generated client (`@platform/api-client`) against the running stack, and nothing else on
 * the wire: a learner's journey from sign-up to their own progress, and the problem+json errors
 * as typed values. What the calls compile against is the checked-in schema.ts, so this also
 * shows that schema and the gateway agree.
 */

const freeCourse = DEMO_COURSES.find((course) => course.price === null);
if (!freeCourse) throw new Error("the demo data has no free course");

/** The gateway rate-limits per client and the suite signs in a lot: every request is a client of its own. */
function client(token?: string): PlatformClient {
  const platform = createPlatformClient({ baseUrl: gatewayUrl, ...(token && { token }) });
  platform.use({
    onRequest: ({ request }) => {
      request.headers.set("cf-connecting-ip", newClientAddress());
      return request;
    },
  });
  return platform;
}

/** Never called: `npm run typecheck` fails if the client stops refusing these (its types fell back to `any`). */
export function refusedAtCompileTime(platform: PlatformClient): void {
  // @ts-expect-error a course is read by its id: the path parameter is required
  void platform.GET("/api/courses/{id}");
  // @ts-expect-error no such path in the document
  void platform.GET("/api/courses/{id}/reviews", { params: { path: { id: "x" } } });
  // @ts-expect-error registration needs a name
  void platform.POST("/api/auth/register", { body: { email: "a@example.com", password: GOOD_PASSWORD } });
}

describe("the generated API client against the stack", () => {
  it("signs up, signs in, finds a free course, enrolls, completes a lesson and reads the learner's progress", async () => {
    const anonymous = client();
    const email = uniqueEmail("api-client");
    const registered = await anonymous.POST("/api/auth/register", {
      body: { email, password: GOOD_PASSWORD, name: "Typed Client" },
    });
    expect(registered.response.status, JSON.stringify(registered.error)).toBe(201);
    expect(unwrap(registered)).toMatchObject({ email, name: "Typed Client", roles: ["learner"] });

    const tokens = unwrap(await anonymous.POST("/api/auth/login", { body: { email, password: GOOD_PASSWORD } }));
    expect(tokens.tokenType).toBe("Bearer");
    const learner = client(tokens.accessToken);

    const catalog = unwrap(
      await learner.GET("/api/courses", { params: { query: { price: "free", q: "postgres", limit: 50 } } }),
    );
    const listed = catalog.items.find((course) => course.id === freeCourse.id);
    expect(listed, "the demo's free course is in the catalog").toMatchObject({ slug: freeCourse.slug, price: null });
    expect(catalog.items.every((course) => course.price === null)).toBe(true);

    const course = unwrap(await learner.GET("/api/courses/{id}", { params: { path: { id: freeCourse.id } } }));
    expect(course).toMatchObject({ title: freeCourse.title, status: "published", price: null });

    const enrolled = await learner.POST("/api/courses/{id}/enroll", { params: { path: { id: course.id } } });
    expect(enrolled.response.status, JSON.stringify(enrolled.error)).toBe(201);
    expect(unwrap(enrolled)).toMatchObject({ courseId: course.id, via: "free_enrollment" });

    const content = unwrap(await learner.GET("/api/courses/{id}/lessons", { params: { path: { id: course.id } } }));
    expect(content.access).toBe("full");
    expect(content.lessons.map((lesson) => lesson.title)).toEqual(freeCourse.lessons.map((lesson) => lesson.title));
    const [first] = content.lessons;
    if (!first) throw new Error("the free course has no lessons");

    const recorded = unwrap(
      await learner.POST("/api/progress/lessons/{lessonId}", {
        params: { path: { lessonId: first.id } },
        body: { event: "completed" },
      }),
    );
    expect(recorded.state).toBe("completed");

    const progress = unwrap(
      await learner.GET("/api/progress/courses/{courseId}", { params: { path: { courseId: course.id } } }),
    );
    expect(progress.completedLessons).toBe(1);
    expect(progress.lessons.map((lesson) => [lesson.lessonId, lesson.state])).toEqual(
      content.lessons.map((lesson) => [lesson.id, lesson.id === first.id ? "completed" : "not-started"]),
    );

    const learning = unwrap(await learner.GET("/api/progress/me"));
    expect(learning.items.map((item) => item.courseId)).toEqual([course.id]);
  });

  it("answers an unknown course with a typed 404 problem", async () => {
    const missing = "01a21526-0000-7000-8000-000000000000";
    const { data, error, response } = await client().GET("/api/courses/{id}", { params: { path: { id: missing } } });
    expect(data).toBeUndefined();
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    // Typed as the document's Problem: no casts to read its fields.
    expect({ status: error?.status, type: error?.type, title: error?.title }).toEqual({
      status: 404,
      type: "/problems/not-found",
      title: "Not found",
    });
  });

  it("answers an anonymous caller of a signed-in route with a typed 401 problem", async () => {
    const { data, error, response } = await client().GET("/api/progress/me");
    expect(data).toBeUndefined();
    expect(response.status).toBe(401);
    expect(error?.status).toBe(401);
    expect(error?.type).toBe("/problems/unauthorized");
    expect(error?.correlationId).toBe(response.headers.get("x-correlation-id"));
  });
});
