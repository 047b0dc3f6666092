CREATE TABLE "events"."delivery_failures" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"last_error" text NOT NULL,
	"failures" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "events"."dead_letters" ADD COLUMN "reason" text;