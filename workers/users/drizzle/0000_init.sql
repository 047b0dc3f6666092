-- IF NOT EXISTS: the migrator creates this schema first, to keep its own history table in it.
CREATE SCHEMA IF NOT EXISTS "users";
--> statement-breakpoint
CREATE TABLE "users"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE TABLE "users"."profiles" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"avatar_url" text,
	"locale" text DEFAULT 'en' NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "outbox_unqueued_idx" ON "users"."outbox" USING btree ("seq") WHERE "users"."outbox"."queued_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_kafka_unpublished_idx" ON "users"."outbox" USING btree ("seq") WHERE "users"."outbox"."kafka_published_at" is null;