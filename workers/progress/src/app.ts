import { createDomainApp } from "@platform/service-kit";
import { analyticsRoutes } from "./analytics/routes.ts";
import { certificateRoutes } from "./certificates/routes.ts";
import * as schema from "./db/schema.ts";
import type { ProgressEnv } from "./env.ts";
import { liveRoutes } from "./live/routes.ts";
import { courseRoutes } from "./routes/courses.ts";
import { lessonRoutes } from "./routes/lessons.ts";

export const app = createDomainApp<ProgressEnv, typeof schema>({
  service: "progress",
  schema,
  openapi: {
    title: "Edge Learning: progress",
    tags: [
      { name: "progress", description: "Lessons viewed and completed, resume positions, my learning" },
      { name: "certificates", description: "Certificates of completed courses, verifiable against the JWKS" },
      { name: "analytics", description: "How a course's learners progress, for its author" },
    ],
  },
});
app.route("/", lessonRoutes);
// Analytics first: `/api/progress/courses/{courseId}/analytics` is not a course's progress.
app.route("/", analyticsRoutes);
app.route("/", courseRoutes);
app.route("/", certificateRoutes);
app.route("/", liveRoutes);
