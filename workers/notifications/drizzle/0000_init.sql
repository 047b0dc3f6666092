-- IF NOT EXISTS: the migrator creates this schema first, to keep its own history table in it.
CREATE SCHEMA IF NOT EXISTS "notifications";
--> statement-breakpoint
CREATE TABLE "notifications"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifications"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE INDEX "outbox_unqueued_idx" ON "notifications"."outbox" USING btree ("seq") WHERE "notifications"."outbox"."queued_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_kafka_unpublished_idx" ON "notifications"."outbox" USING btree ("seq") WHERE "notifications"."outbox"."kafka_published_at" is null;