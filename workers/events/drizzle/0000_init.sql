-- IF NOT EXISTS: the migrator creates this schema first, to keep its own history table in it.
CREATE SCHEMA IF NOT EXISTS "events";
--> statement-breakpoint
CREATE TABLE "events"."dead_letters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"event_id" uuid,
	"event_type" text,
	"body" jsonb NOT NULL,
	"attempts" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replayed_at" timestamp with time zone,
	CONSTRAINT "dead_letters_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE TABLE "events"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "events"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE INDEX "dead_letters_event_id_idx" ON "events"."dead_letters" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "outbox_unqueued_idx" ON "events"."outbox" USING btree ("seq") WHERE "events"."outbox"."queued_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_kafka_unpublished_idx" ON "events"."outbox" USING btree ("seq") WHERE "events"."outbox"."kafka_published_at" is null;