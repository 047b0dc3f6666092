import { createDomainApp } from "@platform/service-kit";
import * as schema from "./db/schema.ts";
import type { CoursesEnv } from "./env.ts";
import { authoringRoutes } from "./routes/authoring.ts";
import { catalogRoutes } from "./routes/catalog.ts";
import { coursePageRoutes } from "./routes/course-page.ts";
import { enrollmentImportRoutes } from "./routes/enrollment-import.ts";
import { enrollmentRoutes } from "./routes/enrollment.ts";
import { lessonRoutes } from "./routes/lessons.ts";
import { markdownPreviewRoutes } from "./routes/markdown-preview.ts";
import { mediaRoutes } from "./routes/media.ts";
import { sectionRoutes } from "./routes/sections.ts";
import { syllabusRoutes } from "./routes/syllabus.ts";

export const app = createDomainApp<CoursesEnv, typeof schema>({
  service: "courses",
  schema,
  openapi: {
    title: "Edge Learning: courses",
    tags: [
      { name: "courses", description: "The catalog, authoring and enrollment" },
      { name: "lessons", description: "Sections and lessons of a course" },
    ],
  },
});
// The catalog first: `/api/courses/mine` must not be read as a course id. Then the course page:
// `/api/courses/by-slug/lessons` is the course whose slug is "lessons".
app.route("/", catalogRoutes);
app.route("/", markdownPreviewRoutes);
app.route("/", coursePageRoutes);
app.route("/", authoringRoutes);
app.route("/", sectionRoutes);
app.route("/", lessonRoutes);
app.route("/", syllabusRoutes);
app.route("/", enrollmentRoutes);
app.route("/", enrollmentImportRoutes);
app.route("/", mediaRoutes);
