CREATE TABLE "events"."feed" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "events"."feed_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"topic" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"envelope" jsonb NOT NULL,
	CONSTRAINT "feed_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE INDEX "feed_type_seq_idx" ON "events"."feed" USING btree ("type","seq");--> statement-breakpoint
CREATE INDEX "feed_recorded_at_idx" ON "events"."feed" USING btree ("recorded_at");