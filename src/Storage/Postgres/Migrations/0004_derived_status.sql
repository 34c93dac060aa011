-- Session Insights: the processing status is derived, not written per event (issue 12).
--
-- Marking every applied event DONE was an UPDATE of its whole audit-log row (properties included):
-- a second heap tuple, new entries in every index, the old tuple left for vacuum. Now the rows as
-- received live in raw_event_log and are never updated on the hot path; an event waiting for its
-- user grain has one narrow row in raw_event_pending, deleted in the grain's commit. raw_event is a
-- view with the columns it always had, so audit queries ("which events FAILED, and why") still work:
--   PENDING  a raw_event_pending row exists
--   FAILED   otherwise, failure_reason is set (processed_at is when it failed)
--   DONE     otherwise (processed_at is NULL: the time an event was applied is no longer kept)

ALTER TABLE raw_event RENAME TO raw_event_log;
ALTER INDEX raw_event_pkey RENAME TO raw_event_log_pkey;
ALTER INDEX raw_event_raw_event_id_key RENAME TO raw_event_log_raw_event_id_key;
ALTER INDEX raw_event_distinct_id_timestamp_idx RENAME TO raw_event_log_distinct_id_timestamp_idx;

-- The partial indexes on status go with the column; the stale sweep reads raw_event_pending, which
-- only ever holds the events in flight, so it needs no index of its own.
DROP INDEX raw_event_pending_by_user_idx;
DROP INDEX raw_event_pending_by_received_idx;
DROP INDEX raw_event_failed_idx;

CREATE TABLE raw_event_pending (
    raw_event_id uuid        PRIMARY KEY,
    seq          bigint      NOT NULL,
    distinct_id  text        NOT NULL,
    received_at  timestamptz NOT NULL
);
-- Grain recovery: a user's pending events in log order.
CREATE INDEX raw_event_pending_by_user_idx ON raw_event_pending (distinct_id, seq);

INSERT INTO raw_event_pending (raw_event_id, seq, distinct_id, received_at)
SELECT raw_event_id, seq, distinct_id, received_at FROM raw_event_log WHERE status = 'PENDING';
UPDATE raw_event_log SET failure_reason = 'unknown' WHERE status = 'FAILED' AND failure_reason IS NULL;

ALTER TABLE raw_event_log DROP COLUMN status;
-- Dashboard: newest failures first, without a scan (failures are few).
CREATE INDEX raw_event_log_failed_idx ON raw_event_log (seq) WHERE failure_reason IS NOT NULL;

CREATE VIEW raw_event AS
SELECT l.seq, l.raw_event_id, l.event_name, l.distinct_id, l."timestamp", l.session_id, l.properties,
       l.elements_chain, l.received_at,
       (CASE WHEN p.raw_event_id IS NOT NULL THEN 'PENDING'
             WHEN l.failure_reason IS NOT NULL THEN 'FAILED'
             ELSE 'DONE' END)::raw_event_status AS status,
       l.failure_reason, l.processed_at, l.client_time
FROM raw_event_log l
LEFT JOIN raw_event_pending p ON p.raw_event_id = l.raw_event_id;
