-- Session Insights: automatic retries and dead letters (docs/ingestion.md "Events that fail").
--
-- An event whose processing threw and may succeed later stays PENDING: its raw_event_pending row
-- counts the failed tries (attempts), says when it is due again (next_retry_at) and keeps the last
-- error (last_error). Pending reads leave it out until then. When the retries are used up, or the
-- failure is permanent, the event is a dead letter: failure_reason (and attempts) on the log row and
-- no pending row, exactly what FAILED was. So the rows that were FAILED are dead letters now (tried
-- once, attempts = 1): they waited for a manual retry then, they wait for one now.
--
-- The status is shown as DEAD_LETTER; FAILED stays in the enum (PostgreSQL cannot drop an enum value)
-- but nothing shows it any more. The new value is only used by the view's text-to-enum cast, which
-- runs when the view is read, after this transaction committed.

ALTER TYPE raw_event_status ADD VALUE IF NOT EXISTS 'DEAD_LETTER';

ALTER TABLE raw_event_pending
    ADD COLUMN attempts      integer     NOT NULL DEFAULT 0,
    ADD COLUMN next_retry_at timestamptz,
    ADD COLUMN last_error    text;

-- The retry sweeper asks every second which retries are due: with a partial index that costs the
-- same with an empty pending set as with a backlog of undelivered events (which have no retry time
-- and so no entry: appends and DONE deletes do not touch it).
CREATE INDEX raw_event_pending_retry_idx ON raw_event_pending (next_retry_at) WHERE next_retry_at IS NOT NULL;

ALTER TABLE raw_event_log ADD COLUMN attempts integer NOT NULL DEFAULT 0;
UPDATE raw_event_log SET attempts = 1 WHERE failure_reason IS NOT NULL;

-- attempts and next_retry_at: of the pending row while retrying, else the log's (the dead letter's tries).
CREATE OR REPLACE VIEW raw_event AS
SELECT l.seq, l.raw_event_id, l.event_name, l.distinct_id, l."timestamp", l.session_id, l.properties,
       l.elements_chain, l.received_at,
       (CASE WHEN p.raw_event_id IS NOT NULL THEN 'PENDING'
             WHEN l.failure_reason IS NOT NULL THEN 'DEAD_LETTER'
             ELSE 'DONE' END)::raw_event_status AS status,
       COALESCE(p.last_error, l.failure_reason) AS failure_reason, l.processed_at, l.client_time, l.project_id,
       COALESCE(p.attempts, l.attempts) AS attempts, p.next_retry_at
FROM raw_event_log l
LEFT JOIN raw_event_pending p ON p.raw_event_id = l.raw_event_id;
