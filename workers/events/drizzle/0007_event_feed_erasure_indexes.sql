-- USER_DELETED deletes the erased person's feed entries (erasure.ts, `subjectCondition`): those whose
-- `data.userId` is their id, or whose aggregate key starts with it. The feed holds every event of
-- EVENT_FEED_RETENTION_DAYS, so each of the two expressions gets an index (the planner ORs them),
-- written exactly as the query writes it. drizzle-kit does not keep expression indexes, hence by hand.
CREATE INDEX IF NOT EXISTS "feed_data_user_id_idx" ON "events"."feed" (lower(("envelope" -> 'data') ->> 'userId'));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "feed_aggregate_user_id_idx" ON "events"."feed" (lower(split_part("envelope" ->> 'aggregateId', ':', 1)));
