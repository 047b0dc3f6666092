import { z } from "@hono/zod-openapi";

const instant = z.iso.datetime({ offset: true });
const lessonState = z.enum(["not-started", "viewed", "completed"]);

/** The longest position accepted for a lesson whose media length is not known: a week of playback. */
const MAX_POSITION_SECONDS = 7 * 24 * 60 * 60;

export const lessonIdParam = z.object({ lessonId: z.uuid() });
export const courseIdParam = z.object({ courseId: z.uuid() });

export const progressBody = z
  .object({
    event: z.enum(["viewed", "completed", "position"]).openapi({
      description:
        "`viewed`: the learner opened the lesson; `completed`: they finished it; `position`: where the player is (send every ~10 s)",
    }),
    positionSeconds: z.number().min(0).max(MAX_POSITION_SECONDS).optional().openapi({
      description: "Playback position in seconds (fractions allowed); at most the lesson's duration when it is known",
      example: 93.5,
    }),
  })
  .superRefine((body, context) => {
    if (body.event === "position" && body.positionSeconds === undefined) {
      context.addIssue({
        code: "custom",
        path: ["positionSeconds"],
        message: "a position update needs positionSeconds",
      });
    }
  })
  .openapi("ProgressUpdate");

export const lessonProgressSchema = z
  .object({
    lessonId: z.uuid(),
    courseId: z.uuid(),
    state: lessonState,
    positionSeconds: z.number().nullable(),
    firstViewedAt: instant.nullable(),
    completedAt: instant.nullable(),
    course: z.object({
      percent: z.int().min(0).max(100),
      completedAt: instant.nullable().openapi({ description: "Set once, when every required lesson was complete" }),
    }),
  })
  .openapi("LessonProgress");

const nextLesson = z
  .object({ lessonId: z.uuid(), title: z.string(), position: z.int(), positionSeconds: z.number().nullable() })
  .nullable()
  .openapi({ description: "The first lesson, in course order, not completed yet; null when none is left" });

export const courseProgressSchema = z
  .object({
    courseId: z.uuid(),
    title: z.string(),
    slug: z.string(),
    percent: z.int().min(0).max(100).openapi({ description: "Completed required lessons of the course as it is now" }),
    requiredLessons: z.int(),
    completedLessons: z.int(),
    startedAt: instant.nullable(),
    lastActivityAt: instant.nullable(),
    completedAt: instant.nullable(),
    nextLesson,
    lessons: z.array(
      z.object({
        lessonId: z.uuid(),
        title: z.string(),
        position: z.int(),
        kind: z.enum(["video", "text", "file"]),
        durationSeconds: z.int().nullable(),
        isPreview: z.boolean(),
        required: z.boolean(),
        state: lessonState,
        positionSeconds: z.number().nullable(),
        firstViewedAt: instant.nullable(),
        completedAt: instant.nullable(),
      }),
    ),
  })
  .openapi("CourseProgress");

export const myLearningQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const myLearningSchema = z
  .object({
    items: z.array(
      z.object({
        courseId: z.uuid(),
        title: z.string(),
        slug: z.string(),
        via: z.array(z.string()),
        percent: z.int().min(0).max(100),
        requiredLessons: z.int(),
        completedLessons: z.int(),
        grantedAt: instant.nullable(),
        startedAt: instant.nullable(),
        lastActivityAt: instant.nullable(),
        completedAt: instant.nullable(),
        nextLesson,
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi("MyLearning");

/** What domain functions need of the request to write events: its correlation id. */
export const eventContext = (c: { var: { correlationId: string } }) => ({ correlationId: c.var.correlationId });
