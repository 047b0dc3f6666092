-- IF NOT EXISTS: the migrator creates this schema first, to keep its own history table in it.
CREATE SCHEMA IF NOT EXISTS "auth";
--> statement-breakpoint
CREATE TYPE "auth"."account_status" AS ENUM('active', 'disabled');--> statement-breakpoint
CREATE TYPE "auth"."role" AS ENUM('learner', 'instructor', 'admin');--> statement-breakpoint
CREATE TABLE "auth"."accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"roles" "auth"."role"[] DEFAULT '{learner}'::auth.role[] NOT NULL,
	"status" "auth"."account_status" DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_email_normalised" CHECK ("auth"."accounts"."email" = lower(btrim("auth"."accounts"."email"))),
	CONSTRAINT "accounts_has_role" CHECK (cardinality("auth"."accounts"."roles") > 0)
);
--> statement-breakpoint
CREATE TABLE "auth"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "auth"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE UNIQUE INDEX "accounts_email_key" ON "auth"."accounts" USING btree ("email");--> statement-breakpoint
CREATE INDEX "outbox_unqueued_idx" ON "auth"."outbox" USING btree ("seq") WHERE "auth"."outbox"."queued_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_kafka_unpublished_idx" ON "auth"."outbox" USING btree ("seq") WHERE "auth"."outbox"."kafka_published_at" is null;