import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  ProblemError,
  fieldErrorsFromZod,
  principalOf,
  requirePrincipal,
  requireStorableText,
} from "@platform/http-kit";
import { defineRoute, documentByHand, json, problem, publicAccess } from "@platform/service-kit";
import { courseWritten } from "../cache/course-cache.ts";
import type { CoursesEnv } from "../env.ts";
import { mediaAudience } from "../media/access-rules.ts";
import { completeUpload, type AttachTarget } from "../media/complete.ts";
import { LINK_PARAMS } from "../media/media-links.ts";
import { coursePrefix, mediaUrlPath } from "../media/object-key.ts";
import { MAX_PARTS } from "../media/part-plan.ts";
import { s3TargetFrom } from "../media/part-urls.ts";
import { MEDIA_TYPES } from "../media/policy.ts";
import { uploadProgress, type UploadProgress } from "../media/progress.ts";
import { CACHE_CONTROL, serveMedia } from "../media/serve.ts";
import { signedMediaAccess, type SignedLink } from "../media/signed-access.ts";
import { abortUpload, checkPart, findUpload, planOf, startUpload, storePart } from "../media/uploads.ts";
import { courseForEditing, findCourse } from "../permissions.ts";
import { authors, courseIdParam, eventContext } from "./schemas.ts";

const uploadParams = courseIdParam.extend({ uploadId: z.uuid() });
const partParams = uploadParams.extend({ partNumber: z.coerce.number().int().min(1).max(MAX_PARTS) });
const mediaParams = courseIdParam.extend({
  key: z
    .string()
    .min(1)
    .max(900)
    .openapi({ description: "The object key after `courses/<id>/`; its slashes may stay" }),
});

/**
 * A signed link's query (media-links.ts): all three or none. Only their shape is checked here (400
 * with field errors); whether they are genuine is the signature's business (403).
 */
const signedLinkQuery = z.object({
  [LINK_PARAMS.user]: z.uuid().openapi({ description: "Signed links: the reader the link was made for" }),
  [LINK_PARAMS.expires]: z
    .string()
    .regex(/^\d{1,12}$/, "Unix seconds")
    .openapi({ description: "Signed links: when the link stops working (Unix seconds)" }),
  [LINK_PARAMS.signature]: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, "base64url")
    .openapi({ description: "Signed links: the link's HMAC-SHA256 (base64url)" }),
});

const newUpload = z
  .object({
    fileName: z.string().trim().min(1).max(255),
    contentType: z
      .string()
      .min(3)
      .max(255)
      .openapi({ example: "video/mp4", description: `One of ${Object.keys(MEDIA_TYPES).join(", ")}` }),
    sizeBytes: z.int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({ example: 26_214_400 }),
    purpose: z.enum(["lesson", "cover"]).default("lesson").openapi({ description: "cover: images only, up to 10 MiB" }),
  })
  .strict();

const completion = z
  .object({
    lessonId: z
      .uuid()
      .optional()
      .openapi({ description: "Attach the media to this video or file lesson of the course" }),
    purpose: z.literal("cover").optional().openapi({ description: "Make the image the course's cover" }),
    parts: z
      .array(z.object({ partNumber: z.int().min(1).max(MAX_PARTS), etag: z.string().min(1).max(200) }).strict())
      .max(MAX_PARTS)
      .optional()
      .openapi({ description: "Presigned uploads only: the ETag R2 answered for each part" }),
  })
  .strict()
  .refine((body) => !(body.lessonId && body.purpose), {
    message: "attach to a lesson or as the cover, not both",
    path: ["purpose"],
  });

const partTarget = z.object({
  partNumber: z.int(),
  sizeBytes: z.int().openapi({ description: "Send exactly this many bytes" }),
  method: z.literal("PUT"),
  url: z.string().openapi({ description: "The proxied part route (relative to this API), or a presigned R2 URL" }),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
});

const uploadView = z
  .object({
    id: z.uuid(),
    courseId: z.uuid(),
    objectKey: z.string(),
    mediaUrl: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.int(),
    partSizeBytes: z.int(),
    partCount: z.int(),
    status: z.enum(["uploading", "completed", "aborted"]),
    transfer: z.enum(["proxy", "presigned"]).openapi({
      description:
        "presigned: parts go straight to R2 and are not listed in storedParts; keep their ETags for completing",
    }),
    uploadedBytes: z.int(),
    storedParts: z.array(z.object({ partNumber: z.int(), sizeBytes: z.int(), etag: z.string() })),
    parts: z.array(partTarget).openapi({ description: "The parts still to send, and where" }),
    createdAt: z.iso.datetime({ offset: true }),
    completedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .openapi("MediaUpload");

function presentUpload({ upload, transfer, stored, toSend }: UploadProgress): z.infer<typeof uploadView> {
  const plan = planOf(upload);
  return {
    id: upload.id,
    courseId: upload.courseId,
    objectKey: upload.objectKey,
    mediaUrl: mediaUrlPath(upload.courseId, upload.objectKey),
    fileName: upload.fileName,
    contentType: upload.contentType,
    sizeBytes: upload.sizeBytes,
    partSizeBytes: upload.partSizeBytes,
    partCount: plan.partCount,
    status: upload.status,
    transfer,
    uploadedBytes:
      upload.status === "completed" ? upload.sizeBytes : stored.reduce((sum, part) => sum + part.sizeBytes, 0),
    storedParts: stored.map(({ partNumber, sizeBytes, etag }) => ({ partNumber, sizeBytes, etag })),
    parts: [...toSend],
    createdAt: upload.createdAt.toISOString(),
    completedAt: upload.completedAt?.toISOString() ?? null,
  };
}

const writeErrors = {
  400: problem("Invalid input"),
  403: problem("Not this course's author (or an admin)"),
  404: problem("No such course, or no such upload in it"),
};

const start = defineRoute(authors, {
  method: "post",
  operationId: "startMediaUpload",
  path: "/api/courses/{id}/uploads",
  summary: "Start a resumable (multipart) media upload (author or admin)",
  description:
    "Checks the type and size against the allow-list before anything is stored, starts an R2 multipart upload and " +
    "answers where to send each part: equal parts (10 MiB, more for very large files) except the last. Send them in " +
    "any order and in parallel, then complete the upload.",
  tags: ["media"],
  request: { params: courseIdParam, body: { required: true, content: json(newUpload) } },
  responses: {
    201: { description: "The upload and its part URLs", content: json(uploadView) },
    ...writeErrors,
    413: problem("Larger than this type may be"),
    415: problem("A type that may not be uploaded (for a cover: not an image)"),
  },
});

const read = defineRoute(authors, {
  method: "get",
  operationId: "getMediaUpload",
  path: "/api/courses/{id}/uploads/{uploadId}",
  summary: "An upload's progress: the parts stored and where to send the rest (to resume)",
  tags: ["media"],
  request: { params: uploadParams },
  responses: { 200: { description: "The upload", content: json(uploadView) }, ...writeErrors },
});

const sendPart = defineRoute(authors, {
  method: "put",
  operationId: "uploadMediaPart",
  path: "/api/courses/{id}/uploads/{uploadId}/parts/{partNumber}",
  summary: "Send one part (proxied into R2; author or admin)",
  description:
    "The raw bytes of the part, with a Content-Length of exactly the part's size. Sending a part again replaces it. " +
    "Parts are not sent through the gateway's 1 MiB body limit, but each is at most 95 MiB.",
  tags: ["media"],
  request: {
    params: partParams,
    body: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
  },
  responses: {
    200: {
      description: "Stored",
      content: json(z.object({ partNumber: z.int(), sizeBytes: z.int(), etag: z.string() })),
    },
    ...writeErrors,
    409: problem("The upload is completed or aborted"),
    411: problem("No Content-Length"),
    413: problem("Longer than this part"),
  },
});

const complete = defineRoute(authors, {
  method: "post",
  operationId: "completeMediaUpload",
  path: "/api/courses/{id}/uploads/{uploadId}/complete",
  summary: "Complete an upload, and optionally attach it to a lesson or as the cover (author or admin)",
  description: "Idempotent: completing again only attaches again. The body may be left out.",
  tags: ["media"],
  request: { params: uploadParams, body: { required: false, content: json(completion) } },
  responses: {
    200: {
      description: "The completed upload",
      content: json(
        uploadView.extend({
          attachedTo: z.union([z.object({ lessonId: z.uuid() }), z.object({ cover: z.literal(true) })]).nullable(),
        }),
      ),
    },
    ...writeErrors,
    409: problem("Parts missing (listed), or the upload was aborted"),
    422: problem("The lesson or cover cannot take this media"),
  },
});

const abort = defineRoute(authors, {
  method: "delete",
  operationId: "abortMediaUpload",
  path: "/api/courses/{id}/uploads/{uploadId}",
  summary: "Abort an upload; the parts sent are discarded (author or admin)",
  tags: ["media"],
  request: { params: uploadParams },
  responses: {
    204: { description: "Aborted (or already aborted)" },
    ...writeErrors,
    409: problem("Already completed"),
  },
});

const media = defineRoute(
  publicAccess("covers and free previews are public; the handler checks the rest against the course"),
  {
    method: "get",
    operationId: "getCourseMedia",
    path: "/api/courses/{id}/media/{key}",
    summary: "A course's media, with byte ranges for seeking",
    description:
      "Covers and free-preview lessons' media of a published course are public (cached a day, immutable); other " +
      "lessons' media need access to the course (cached privately for an hour). Supports Range (one range), " +
      "If-Range and If-None-Match. A `<video>`, `<track>` or download link cannot send a bearer token: the lesson " +
      `reads hand out signed links instead (\`?${LINK_PARAMS.user}=…&${LINK_PARAMS.expires}=…&${LINK_PARAMS.signature}=…\`, ` +
      "15 to 20 minutes), which need no header. A request with a signed link is judged by the link alone; its " +
      "answer is private and kept no longer than the link lives.",
    tags: ["media"],
    request: { params: mediaParams, query: signedLinkQuery.partial() },
    responses: {
      200: { description: "The whole object" },
      206: { description: "The requested byte range" },
      304: { description: "Not modified" },
      400: problem("Invalid id or key, or a signed link's parameters incomplete or malformed"),
      401: problem("Signed out, and the media is not public"),
      403: problem(
        "No access to this course; or a signed link that is forged, altered or expired (the detail says which)",
      ),
      404: problem("No such course or media"),
      416: problem("The range is past the end"),
      503: problem("Signed links are not configured on this worker"),
    },
  },
);

/**
 * Params of the routes registered by hand, validated like the others (400, field errors), and
 * refused like the others when they hold text PostgreSQL cannot store (a `%00` in a media key).
 */
function paramsOf<T extends z.ZodType>(c: Context<CoursesEnv>, schema: T): z.infer<T> {
  const parsed = schema.safeParse(c.req.param());
  if (!parsed.success) {
    throw new ProblemError("validation-failed", {
      detail: "One or more fields are invalid.",
      errors: fieldErrorsFromZod(parsed.error, "param"),
    });
  }
  requireStorableText(parsed.data, "param");
  return parsed.data;
}

/** The signed link a request carries, or undefined when it carries none of its parameters. */
function signedLinkOf(c: Context<CoursesEnv>): SignedLink | undefined {
  const query = c.req.query();
  if (!Object.values(LINK_PARAMS).some((name) => query[name] !== undefined)) return undefined;
  const parsed = signedLinkQuery.safeParse(query);
  if (!parsed.success) {
    throw new ProblemError("validation-failed", {
      detail: `A signed link needs all of ${Object.values(LINK_PARAMS).join(", ")}.`,
      errors: fieldErrorsFromZod(parsed.error, "query"),
    });
  }
  requireStorableText(parsed.data, "query");
  return {
    userId: parsed.data[LINK_PARAMS.user],
    expires: Number(parsed.data[LINK_PARAMS.expires]),
    signature: parsed.data[LINK_PARAMS.signature],
  };
}

function declaredLength(c: Context<CoursesEnv>): number | undefined {
  const header = c.req.header("content-length");
  if (header === undefined) return undefined;
  if (!/^\d+$/.test(header)) throw new ProblemError("bad-request", { detail: "Content-Length is not a byte count." });
  return Number(header);
}

/** Resumable media uploads to R2 and media serving with Range support. */
export const mediaRoutes = new OpenAPIHono<CoursesEnv>()
  .openapi(start, async (c) => {
    const db = c.var.database().db;
    const principal = requirePrincipal(c);
    const course = await courseForEditing(db, c.req.valid("param").id, principal);
    const body = c.req.valid("json");
    const upload = await startUpload(db, c.env.MEDIA, { ...body, courseId: course.id, createdBy: principal.userId });
    c.header("location", `/api/courses/${course.id}/uploads/${upload.id}`);
    return c.json(presentUpload(await uploadProgress(db, upload, s3TargetFrom(c.env), new Date())), 201);
  })
  .openapi(read, async (c) => {
    const db = c.var.database().db;
    const { id, uploadId } = c.req.valid("param");
    const course = await courseForEditing(db, id, requirePrincipal(c));
    const upload = await findUpload(db, course.id, uploadId);
    c.header("cache-control", "no-store");
    return c.json(presentUpload(await uploadProgress(db, upload, s3TargetFrom(c.env), new Date())), 200);
  })
  .openapi(complete, async (c) => {
    const db = c.var.database().db;
    const { id, uploadId } = c.req.valid("param");
    const course = await courseForEditing(db, id, requirePrincipal(c));
    const upload = await findUpload(db, course.id, uploadId);
    const body = c.req.valid("json");
    const target: AttachTarget = body.lessonId
      ? { lessonId: body.lessonId }
      : body.purpose === "cover"
        ? { cover: true }
        : null;
    const completed = await completeUpload(
      db,
      c.env.MEDIA,
      course,
      upload,
      { target, reportedParts: body.parts ?? [] },
      eventContext(c),
    );
    if (target) {
      // A cover shows in the catalog; lesson media only in the outline.
      const listed = "cover" in target && course.status === "published";
      await courseWritten(c.env.CATALOG_CACHE, course.id, { listed });
    }
    const view = presentUpload(await uploadProgress(db, completed, s3TargetFrom(c.env), new Date()));
    return c.json({ ...view, attachedTo: target }, 200);
  })
  .openapi(abort, async (c) => {
    const db = c.var.database().db;
    const { id, uploadId } = c.req.valid("param");
    const course = await courseForEditing(db, id, requirePrincipal(c));
    await abortUpload(db, c.env.MEDIA, await findUpload(db, course.id, uploadId));
    return c.body(null, 204);
  });

// Registered by hand rather than with `openapi()`: the part is the raw body, streamed into R2
// without being read here, and the media key may hold slashes, which `{key}` would not match.
mediaRoutes.put(
  "/api/courses/:id/uploads/:uploadId/parts/:partNumber",
  documentByHand(mediaRoutes, sendPart),
  async (c) => {
    const db = c.var.database().db;
    const { id, uploadId, partNumber } = paramsOf(c, partParams);
    const course = await courseForEditing(db, id, requirePrincipal(c));
    const upload = await findUpload(db, course.id, uploadId);
    const sizeBytes = checkPart(upload, partNumber, declaredLength(c));
    const body = c.req.raw.body;
    if (!body) throw new ProblemError("bad-request", { detail: "The part has no body." });
    // Exactly the checked length reaches R2: a body that ends early errors instead of storing a short part.
    const part = await storePart(
      db,
      c.env.MEDIA,
      upload,
      partNumber,
      sizeBytes,
      body.pipeThrough(new FixedLengthStream(sizeBytes)),
    );
    return c.json({ partNumber: part.partNumber, sizeBytes: part.sizeBytes, etag: part.etag }, 200);
  },
);

mediaRoutes.get("/api/courses/:id/media/:key{.+}", documentByHand(mediaRoutes, media), async (c) => {
  const db = c.var.database().db;
  const { id, key } = paramsOf(c, mediaParams);
  const objectKey = `${coursePrefix(id)}${key}`;
  const headers = {
    range: c.req.header("range"),
    ifRange: c.req.header("if-range"),
    ifNoneMatch: c.req.header("if-none-match"),
  };
  // A <video> or <track> element: the link it was given, not a header, says who is asking.
  const link = signedLinkOf(c);
  if (link) {
    const target = { courseId: id, objectKey };
    const cacheControl = await signedMediaAccess(db, c.env.MEDIA_URL_SECRET, target, link, new Date());
    return serveMedia(c.env.MEDIA, objectKey, cacheControl, headers);
  }
  const course = await findCourse(db, id);
  if (!course) throw new ProblemError("not-found", { detail: "No such course." });
  const audience = await mediaAudience(db, course, objectKey, principalOf(c));
  return serveMedia(c.env.MEDIA, objectKey, CACHE_CONTROL[audience], headers);
});
