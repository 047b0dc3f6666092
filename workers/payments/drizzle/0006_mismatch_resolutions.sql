CREATE TYPE "payments"."mismatch_decision" AS ENUM('refused', 'applied');--> statement-breakpoint
CREATE TYPE "payments"."mismatch_resolution" AS ENUM('accepted', 'dismissed');--> statement-breakpoint
ALTER TABLE "payments"."event_mismatches" ADD COLUMN "decision" "payments"."mismatch_decision" DEFAULT 'refused' NOT NULL;--> statement-breakpoint
ALTER TABLE "payments"."event_mismatches" ADD COLUMN "refused_fact" jsonb;--> statement-breakpoint
ALTER TABLE "payments"."event_mismatches" ADD COLUMN "resolution" "payments"."mismatch_resolution";--> statement-breakpoint
ALTER TABLE "payments"."event_mismatches" ADD COLUMN "resolved_by" uuid;--> statement-breakpoint
ALTER TABLE "payments"."event_mismatches" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments"."event_mismatches" ADD COLUMN "resolution_note" text;--> statement-breakpoint
CREATE INDEX "event_mismatches_open_idx" ON "payments"."event_mismatches" USING btree ("id") WHERE "payments"."event_mismatches"."resolution" is null;--> statement-breakpoint
ALTER TABLE "payments"."event_mismatches" ADD CONSTRAINT "event_mismatches_resolved_whole" CHECK (("payments"."event_mismatches"."resolution" is null) = ("payments"."event_mismatches"."resolved_by" is null) and ("payments"."event_mismatches"."resolution" is null) = ("payments"."event_mismatches"."resolved_at" is null));