-- Caption tracks (video lessons) and downloads (any lesson), each a small ordered list read and written whole
-- with its lesson (docs/courses.md#captions-and-downloads). Existing lessons start with none.
ALTER TABLE "courses"."lessons" ADD COLUMN "captions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "courses"."lessons" ADD COLUMN "downloads" jsonb DEFAULT '[]'::jsonb NOT NULL;