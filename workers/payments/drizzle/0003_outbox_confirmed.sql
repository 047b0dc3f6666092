ALTER TABLE "payments"."outbox" ADD COLUMN "queue_sends" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payments"."outbox" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "outbox_unconfirmed_idx" ON "payments"."outbox" USING btree ("queued_at") WHERE "payments"."outbox"."queued_at" is not null and "payments"."outbox"."confirmed_at" is null;--> statement-breakpoint
-- Rows queued before confirmations existed count as sent once and confirmed: re-sending the whole history would
-- flood the Queue. (An event lost before this migration can be re-sent by hand: set its confirmed_at to null.)
UPDATE "payments"."outbox" SET "queue_sends" = 1, "confirmed_at" = "queued_at" WHERE "queued_at" is not null;
