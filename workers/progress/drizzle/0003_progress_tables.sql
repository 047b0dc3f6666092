CREATE TYPE "progress"."lesson_kind" AS ENUM('video', 'text', 'file');--> statement-breakpoint
CREATE TABLE "progress"."certificates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"learner_name" text NOT NULL,
	"course_title" text NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"credential" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	CONSTRAINT "certificates_user_course_key" UNIQUE("user_id","course_id")
);
--> statement-breakpoint
CREATE TABLE "progress"."course_lessons" (
	"lesson_id" uuid PRIMARY KEY NOT NULL,
	"course_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"kind" "progress"."lesson_kind" NOT NULL,
	"duration_seconds" integer,
	"is_preview" boolean DEFAULT false NOT NULL,
	"required" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "progress"."course_outlines" (
	"course_id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"slug" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "progress"."course_progress" (
	"user_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"enrolled_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"last_activity_at" timestamp with time zone,
	"last_lesson_id" uuid,
	"completed_at" timestamp with time zone,
	CONSTRAINT "course_progress_user_id_course_id_pk" PRIMARY KEY("user_id","course_id")
);
--> statement-breakpoint
CREATE TABLE "progress"."lesson_progress" (
	"user_id" uuid NOT NULL,
	"lesson_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"first_viewed_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"position_seconds" double precision,
	"position_updated_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lesson_progress_user_id_lesson_id_pk" PRIMARY KEY("user_id","lesson_id"),
	CONSTRAINT "lesson_progress_position_non_negative" CHECK ("progress"."lesson_progress"."position_seconds" is null or "progress"."lesson_progress"."position_seconds" >= 0)
);
--> statement-breakpoint
CREATE TABLE "progress"."processed_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"correlation_id" text,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "progress"."course_lessons" ADD CONSTRAINT "course_lessons_course_id_course_outlines_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "progress"."course_outlines"("course_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "course_lessons_course_idx" ON "progress"."course_lessons" USING btree ("course_id","position");--> statement-breakpoint
CREATE INDEX "course_progress_course_idx" ON "progress"."course_progress" USING btree ("course_id");--> statement-breakpoint
CREATE INDEX "lesson_progress_learner_course_idx" ON "progress"."lesson_progress" USING btree ("user_id","course_id");--> statement-breakpoint
CREATE INDEX "lesson_progress_course_lesson_idx" ON "progress"."lesson_progress" USING btree ("course_id","lesson_id");