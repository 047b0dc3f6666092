CREATE TYPE "payments"."plan_interval" AS ENUM('month', 'year');--> statement-breakpoint
CREATE TYPE "payments"."provider" AS ENUM('stripe', 'sandbox');--> statement-breakpoint
CREATE TYPE "payments"."purchase_status" AS ENUM('pending', 'expired', 'processing', 'failed', 'paid', 'disputed', 'refunded');--> statement-breakpoint
CREATE TYPE "payments"."subscription_lifecycle" AS ENUM('incomplete', 'expired', 'active', 'canceling', 'canceled');--> statement-breakpoint
CREATE TABLE "payments"."payment_status_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"payment_id" uuid NOT NULL,
	"from_status" "payments"."purchase_status",
	"to_status" "payments"."purchase_status" NOT NULL,
	"cause" text NOT NULL,
	"stripe_event_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments"."payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"description" text NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"provider" "payments"."provider" NOT NULL,
	"status" "payments"."purchase_status" DEFAULT 'pending' NOT NULL,
	"idempotency_key" text,
	"checkout_session_id" text,
	"checkout_url" text,
	"checkout_expires_at" timestamp with time zone,
	"payment_intent_id" text,
	"charge_id" text,
	"amount_refunded_minor" integer DEFAULT 0 NOT NULL,
	"paid_at" timestamp with time zone,
	"refunded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_positive" CHECK ("payments"."payments"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"interval" "payments"."plan_interval" NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_amount_positive" CHECK ("payments"."plans"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"payment_id" uuid NOT NULL,
	"provider_refund_id" text NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text NOT NULL,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_provider_refund_key" UNIQUE("provider_refund_id")
);
--> statement-breakpoint
CREATE TABLE "payments"."stripe_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"outcome" text NOT NULL,
	"correlation_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments"."subscription_status_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"subscription_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"cause" text NOT NULL,
	"stripe_event_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments"."subscriptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"description" text NOT NULL,
	"interval" "payments"."plan_interval" NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"provider" "payments"."provider" NOT NULL,
	"lifecycle" "payments"."subscription_lifecycle" DEFAULT 'incomplete' NOT NULL,
	"idempotency_key" text,
	"checkout_session_id" text,
	"checkout_url" text,
	"checkout_expires_at" timestamp with time zone,
	"stripe_subscription_id" text,
	"stripe_customer_id" text,
	"current_period_end" timestamp with time zone,
	"cancel_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"latest_invoice_id" text,
	"latest_invoice_created" timestamp with time zone,
	"latest_invoice_paid" boolean,
	"created_announced" boolean DEFAULT false NOT NULL,
	"announced_ends_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payments"."payment_status_history" ADD CONSTRAINT "payment_status_history_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "payments"."payments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "payments"."payments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."subscription_status_history" ADD CONSTRAINT "subscription_status_history_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "payments"."subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."subscriptions" ADD CONSTRAINT "subscriptions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "payments"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_status_history_payment_idx" ON "payments"."payment_status_history" USING btree ("payment_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_checkout_session_key" ON "payments"."payments" USING btree ("checkout_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_idempotency_key" ON "payments"."payments" USING btree ("user_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_open_checkout" ON "payments"."payments" USING btree ("user_id","course_id") WHERE "payments"."payments"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "payments_user_idx" ON "payments"."payments" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "payments_payment_intent_idx" ON "payments"."payments" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE INDEX "refunds_payment_idx" ON "payments"."refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "subscription_status_history_subscription_idx" ON "payments"."subscription_status_history" USING btree ("subscription_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_checkout_session_key" ON "payments"."subscriptions" USING btree ("checkout_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_stripe_subscription_key" ON "payments"."subscriptions" USING btree ("stripe_subscription_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_idempotency_key" ON "payments"."subscriptions" USING btree ("user_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_one_open_checkout" ON "payments"."subscriptions" USING btree ("user_id") WHERE "payments"."subscriptions"."lifecycle" = 'incomplete';--> statement-breakpoint
CREATE INDEX "subscriptions_user_idx" ON "payments"."subscriptions" USING btree ("user_id","id");