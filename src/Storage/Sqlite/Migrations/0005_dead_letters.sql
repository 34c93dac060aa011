-- Session Insights: automatic retries and dead letters (docs/ingestion.md "Events that fail").
--
-- An event whose processing threw and may succeed later stays PENDING with attempts (failed tries),
-- next_retry_at (pending reads leave it out until then) and failure_reason (the last error). Once
-- its retries are used up, or the failure is permanent, it is DEAD_LETTER with the reason and its
-- attempts. The rows that were FAILED waited for a manual retry, as dead letters do: they become
-- DEAD_LETTER, tried once.
--
-- SQLite cannot alter a CHECK constraint, so the table is rebuilt (the migration runs in one
-- transaction), keeping every row, its sequence number and the log's AUTOINCREMENT high-water mark.

CREATE TABLE raw_event_new (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    raw_event_id   TEXT    NOT NULL UNIQUE,
    event_name     TEXT    NOT NULL CHECK (event_name <> ''),
    distinct_id    TEXT    NOT NULL CHECK (distinct_id <> ''),
    timestamp      INTEGER NOT NULL,
    session_id     TEXT,
    properties     TEXT    NOT NULL,
    elements_chain TEXT,
    received_at    INTEGER NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DONE', 'DEAD_LETTER')),
    failure_reason TEXT,
    processed_at   INTEGER,
    client_time    TEXT,
    project_id     INTEGER NOT NULL DEFAULT 1,
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_retry_at  INTEGER
);

INSERT INTO raw_event_new (seq, raw_event_id, event_name, distinct_id, timestamp, session_id, properties, elements_chain,
                           received_at, status, failure_reason, processed_at, client_time, project_id, attempts)
SELECT seq, raw_event_id, event_name, distinct_id, timestamp, session_id, properties, elements_chain,
       received_at, CASE status WHEN 'FAILED' THEN 'DEAD_LETTER' ELSE status END, failure_reason, processed_at, client_time, project_id,
       CASE status WHEN 'FAILED' THEN 1 ELSE 0 END
FROM raw_event;

DELETE FROM sqlite_sequence WHERE name = 'raw_event_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'raw_event_new', seq FROM sqlite_sequence WHERE name = 'raw_event';

DROP TABLE raw_event;
ALTER TABLE raw_event_new RENAME TO raw_event;

CREATE INDEX raw_event_user_timestamp_idx ON raw_event (project_id, distinct_id, timestamp);
CREATE INDEX raw_event_pending_by_user_idx ON raw_event (project_id, distinct_id, seq) WHERE status = 'PENDING';
CREATE INDEX raw_event_pending_by_received_idx ON raw_event (received_at) WHERE status = 'PENDING';
CREATE INDEX raw_event_dead_letter_idx ON raw_event (seq) WHERE status = 'DEAD_LETTER';
-- Due retries: few rows, found without a scan of the pending set.
CREATE INDEX raw_event_retry_idx ON raw_event (next_retry_at) WHERE next_retry_at IS NOT NULL;
