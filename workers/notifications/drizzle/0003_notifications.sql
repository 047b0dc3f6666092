CREATE TYPE "notifications"."category" AS ENUM('security', 'purchases', 'subscriptions', 'learning', 'onboarding');--> statement-breakpoint
CREATE TYPE "notifications"."channel" AS ENUM('email', 'push', 'in_app');--> statement-breakpoint
CREATE TYPE "notifications"."delivery_status" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
CREATE TABLE "notifications"."deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"channel" "notifications"."channel" NOT NULL,
	"category" "notifications"."category" NOT NULL,
	"template" text NOT NULL,
	"locale" text NOT NULL,
	"recipient" text,
	"payload" jsonb NOT NULL,
	"status" "notifications"."delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"provider_id" text,
	"caused_by" uuid,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "deliveries_attempts_non_negative" CHECK ("notifications"."deliveries"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "notifications"."notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"category" "notifications"."category" NOT NULL,
	"template" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"caused_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notifications"."preferences" (
	"user_id" uuid NOT NULL,
	"category" "notifications"."category" NOT NULL,
	"channel" "notifications"."channel" NOT NULL,
	"enabled" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "preferences_user_id_category_channel_pk" PRIMARY KEY("user_id","category","channel"),
	CONSTRAINT "preferences_security_email_on" CHECK (not ("notifications"."preferences"."category" = 'security' and "notifications"."preferences"."channel" = 'email' and not "notifications"."preferences"."enabled"))
);
--> statement-breakpoint
CREATE TABLE "notifications"."processed_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"correlation_id" text,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications"."push_subscriptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"endpoint" text NOT NULL,
	"p256dh" text NOT NULL,
	"auth" text NOT NULL,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_success_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_dedupe_key" ON "notifications"."deliveries" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "deliveries_due_idx" ON "notifications"."deliveries" USING btree ("next_attempt_at") WHERE "notifications"."deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "deliveries_user_idx" ON "notifications"."deliveries" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notices_user_recent_idx" ON "notifications"."notices" USING btree ("user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notices_user_unread_idx" ON "notifications"."notices" USING btree ("user_id") WHERE "notifications"."notices"."read_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "push_subscriptions_endpoint_key" ON "notifications"."push_subscriptions" USING btree ("endpoint");--> statement-breakpoint
CREATE INDEX "push_subscriptions_user_idx" ON "notifications"."push_subscriptions" USING btree ("user_id");