-- Wakes the Kafka bridge (LISTEN platform_outbox) as soon as events commit; NOTIFY is delivered
-- only on commit, and once per statement, not per row. The bridge polls as well, so a missed
-- notification delays an event but never loses it.
CREATE OR REPLACE FUNCTION "events"."notify_outbox"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('platform_outbox', TG_TABLE_SCHEMA);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS "outbox_notify" ON "events"."outbox";
--> statement-breakpoint
CREATE TRIGGER "outbox_notify" AFTER INSERT ON "events"."outbox"
  FOR EACH STATEMENT EXECUTE FUNCTION "events"."notify_outbox"();
