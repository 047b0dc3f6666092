CREATE TYPE "payments"."provider_erasure_kind" AS ENUM('expire_checkout', 'cancel_subscription', 'delete_customer', 'unset_metadata');--> statement-breakpoint
CREATE TABLE "payments"."provider_erasures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" "payments"."provider_erasure_kind" NOT NULL,
	"stripe_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "provider_erasures_kind_stripe_id_key" UNIQUE("kind","stripe_id")
);
--> statement-breakpoint
ALTER TABLE "payments"."payments" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments"."subscriptions" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "provider_erasures_open_idx" ON "payments"."provider_erasures" USING btree ("kind","created_at") WHERE "payments"."provider_erasures"."done_at" is null;