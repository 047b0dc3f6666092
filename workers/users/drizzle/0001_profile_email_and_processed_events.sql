CREATE TABLE "users"."processed_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users"."profiles" ADD COLUMN "email" text;--> statement-breakpoint
CREATE INDEX "profiles_email_idx" ON "users"."profiles" USING btree ("email");