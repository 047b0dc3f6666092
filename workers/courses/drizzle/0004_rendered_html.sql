-- Rendered HTML beside its Markdown source. SQL cannot render Markdown, so existing rows are filled by the
-- courses backfill (src/db/backfill.ts) that `migrateAll` runs right after these migrations (docs/courses.md).
ALTER TABLE "courses"."courses" ADD COLUMN "description_html" text;--> statement-breakpoint
ALTER TABLE "courses"."lessons" ADD COLUMN "body_html" text;