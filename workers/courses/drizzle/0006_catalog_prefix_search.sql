-- Catalog search by word prefix, case- and accent-insensitive: the title and summary folded by the app
-- (src/search-words.ts), weighted A and B in one tsvector (src/db/search-document.ts). Existing rows are folded by
-- the courses backfill (src/db/backfill.ts) right after these migrations; until then the search reads their raw text.
DROP INDEX "courses"."courses_search_idx";--> statement-breakpoint
ALTER TABLE "courses"."courses" ADD COLUMN "title_folded" text;--> statement-breakpoint
ALTER TABLE "courses"."courses" ADD COLUMN "summary_folded" text;--> statement-breakpoint
CREATE INDEX "courses_search_document_idx" ON "courses"."courses" USING gin ((setweight(to_tsvector('simple'::regconfig, coalesce("title_folded", "title")), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce("summary_folded", "summary")), 'B'))) WHERE "courses"."courses"."status" = 'published';
