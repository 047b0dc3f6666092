-- IF NOT EXISTS: the migrator creates this schema first, to keep its own history table in it.
CREATE SCHEMA IF NOT EXISTS "courses";
--> statement-breakpoint
CREATE TYPE "courses"."course_level" AS ENUM('beginner', 'intermediate', 'advanced');--> statement-breakpoint
CREATE TYPE "courses"."course_status" AS ENUM('draft', 'published', 'archived');--> statement-breakpoint
CREATE TYPE "courses"."lesson_kind" AS ENUM('video', 'text', 'file');--> statement-breakpoint
CREATE TABLE "courses"."courses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"author_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"level" "courses"."course_level" DEFAULT 'beginner' NOT NULL,
	"price_amount" integer,
	"price_currency" char(3),
	"status" "courses"."course_status" DEFAULT 'draft' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "courses_price_complete" CHECK (("courses"."courses"."price_amount" is null) = ("courses"."courses"."price_currency" is null) and coalesce("courses"."courses"."price_amount", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "courses"."lessons" (
	"id" uuid PRIMARY KEY NOT NULL,
	"course_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"kind" "courses"."lesson_kind" NOT NULL,
	"body_markdown" text,
	"media_key" text,
	"duration_seconds" integer,
	"is_preview" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lessons_course_position_key" UNIQUE("course_id","position")
);
--> statement-breakpoint
CREATE TABLE "courses"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "courses"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"topic" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"queued_at" timestamp with time zone,
	"kafka_published_at" timestamp with time zone,
	CONSTRAINT "outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
ALTER TABLE "courses"."lessons" ADD CONSTRAINT "lessons_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "courses"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "courses_slug_key" ON "courses"."courses" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "courses_author_idx" ON "courses"."courses" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "courses_published_idx" ON "courses"."courses" USING btree ("published_at","id") WHERE "courses"."courses"."status" = 'published';--> statement-breakpoint
CREATE INDEX "outbox_unqueued_idx" ON "courses"."outbox" USING btree ("seq") WHERE "courses"."outbox"."queued_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_kafka_unpublished_idx" ON "courses"."outbox" USING btree ("seq") WHERE "courses"."outbox"."kafka_published_at" is null;