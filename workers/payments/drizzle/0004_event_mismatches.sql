CREATE TABLE "payments"."event_mismatches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"payment_id" uuid,
	"subscription_id" uuid,
	"stripe_event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"differences" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_mismatches_one_subject" CHECK (("payments"."event_mismatches"."payment_id" is null) <> ("payments"."event_mismatches"."subscription_id" is null))
);
--> statement-breakpoint
ALTER TABLE "payments"."event_mismatches" ADD CONSTRAINT "event_mismatches_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "payments"."payments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."event_mismatches" ADD CONSTRAINT "event_mismatches_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "payments"."subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_mismatches_payment_idx" ON "payments"."event_mismatches" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "event_mismatches_subscription_idx" ON "payments"."event_mismatches" USING btree ("subscription_id");