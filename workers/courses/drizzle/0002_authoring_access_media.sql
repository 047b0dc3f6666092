CREATE TYPE "courses"."access_via" AS ENUM('purchase', 'subscription', 'free_enrollment', 'integrator');--> statement-breakpoint
CREATE TYPE "courses"."upload_status" AS ENUM('uploading', 'completed', 'aborted');--> statement-breakpoint
CREATE TABLE "courses"."enrollments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"via" "courses"."access_via" NOT NULL,
	"reference" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "enrollments_grant_key" UNIQUE("user_id","course_id","via","reference")
);
--> statement-breakpoint
CREATE TABLE "courses"."media_upload_parts" (
	"upload_id" uuid NOT NULL,
	"part_number" integer NOT NULL,
	"etag" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_upload_parts_upload_id_part_number_pk" PRIMARY KEY("upload_id","part_number")
);
--> statement-breakpoint
CREATE TABLE "courses"."media_uploads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"course_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"object_key" text NOT NULL,
	"upload_id" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"part_size_bytes" integer NOT NULL,
	"status" "courses"."upload_status" DEFAULT 'uploading' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "media_uploads_object_key_unique" UNIQUE("object_key")
);
--> statement-breakpoint
CREATE TABLE "courses"."processed_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"correlation_id" text,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "courses"."sections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"course_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sections_course_position_key" UNIQUE("course_id","position")
);
--> statement-breakpoint
CREATE TABLE "courses"."subscription_access" (
	"subscription_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"ends_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "courses"."courses_author_idx";--> statement-breakpoint
ALTER TABLE "courses"."courses" ADD COLUMN "cover_image_key" text;--> statement-breakpoint
ALTER TABLE "courses"."lessons" ADD COLUMN "section_id" uuid;--> statement-breakpoint
ALTER TABLE "courses"."enrollments" ADD CONSTRAINT "enrollments_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "courses"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courses"."media_upload_parts" ADD CONSTRAINT "media_upload_parts_upload_id_media_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "courses"."media_uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courses"."media_uploads" ADD CONSTRAINT "media_uploads_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "courses"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courses"."sections" ADD CONSTRAINT "sections_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "courses"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enrollments_course_idx" ON "courses"."enrollments" USING btree ("course_id") WHERE "courses"."enrollments"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "enrollments_user_idx" ON "courses"."enrollments" USING btree ("user_id","course_id") WHERE "courses"."enrollments"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "media_uploads_pending_idx" ON "courses"."media_uploads" USING btree ("created_at") WHERE "courses"."media_uploads"."status" = 'uploading';--> statement-breakpoint
CREATE INDEX "subscription_access_user_idx" ON "courses"."subscription_access" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "courses"."lessons" ADD CONSTRAINT "lessons_section_id_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "courses"."sections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "courses_catalog_idx" ON "courses"."courses" USING btree ("language","level","published_at","id") WHERE "courses"."courses"."status" = 'published';--> statement-breakpoint
CREATE INDEX "courses_search_idx" ON "courses"."courses" USING gin (to_tsvector('simple', "title" || ' ' || "summary")) WHERE "courses"."courses"."status" = 'published';--> statement-breakpoint
CREATE INDEX "lessons_section_idx" ON "courses"."lessons" USING btree ("section_id");--> statement-breakpoint
CREATE INDEX "courses_author_idx" ON "courses"."courses" USING btree ("author_id","id");