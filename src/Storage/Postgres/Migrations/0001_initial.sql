-- Session Insights: initial schema (PostgreSQL).
-- Applied by PostgresMigrator inside one transaction, under an advisory lock.

CREATE TYPE raw_event_status AS ENUM ('PENDING', 'DONE', 'FAILED');

-- The audit log: every accepted event as received. seq is the log position grains replay by;
-- raw_event_id (PostHog's uuid) is the idempotency key.
CREATE TABLE raw_event (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    raw_event_id   uuid             NOT NULL UNIQUE,
    event_name     text             NOT NULL CHECK (event_name <> ''),
    distinct_id    text             NOT NULL CHECK (distinct_id <> ''),
    "timestamp"    timestamptz      NOT NULL,
    session_id     text,
    -- json, not jsonb: the audit log keeps each event exactly as received (key order, spacing).
    properties     json             NOT NULL,
    elements_chain text,
    received_at    timestamptz      NOT NULL DEFAULT now(),
    status         raw_event_status NOT NULL DEFAULT 'PENDING',
    failure_reason text,
    processed_at   timestamptz
);

CREATE INDEX raw_event_distinct_id_timestamp_idx ON raw_event (distinct_id, "timestamp");
-- Grain recovery: a user's PENDING events in log order.
CREATE INDEX raw_event_pending_by_user_idx ON raw_event (distinct_id, seq) WHERE status = 'PENDING';
-- Stale sweep: PENDING events nobody processed in time (lost deliveries).
CREATE INDEX raw_event_pending_by_received_idx ON raw_event (received_at) WHERE status = 'PENDING';
-- Dashboard: FAILED events are few, so a partial index keeps "newest failures" off a full scan.
CREATE INDEX raw_event_failed_idx ON raw_event (seq) WHERE status = 'FAILED';

-- The semantic layer. raw_event_id refers to raw_event but is not a foreign key: the audit log
-- can be archived or pruned on its own, and the grains' commit path skips a lookup per row.
CREATE TABLE enriched_event (
    enriched_event_id uuid        PRIMARY KEY,
    raw_event_id      uuid        NOT NULL UNIQUE,
    user_id           text        NOT NULL,
    session_id        text,
    event_name        text        NOT NULL,
    event_type        text        NOT NULL,
    action_type       text        NOT NULL,
    semantic_label    text        NOT NULL,
    page_path         text        NOT NULL,
    page_title        text        NOT NULL,
    element_type      text,
    element_text      text,
    sequence_number   integer     NOT NULL,
    "timestamp"       timestamptz NOT NULL,
    -- json, not jsonb: a context read from storage must be byte-identical to the live one.
    context           json        NOT NULL
);

-- The seeds' (user_id, timestamp) and (session_id, timestamp), extended by the tie-breaker so that
-- "latest N by timestamp, then sequence number" is a plain index scan.
CREATE INDEX enriched_event_user_timestamp_idx ON enriched_event (user_id, "timestamp", sequence_number);
CREATE INDEX enriched_event_session_timestamp_idx ON enriched_event (session_id, "timestamp", sequence_number);

-- Session aggregates, rewritten whole by each grain commit.
CREATE TABLE session (
    session_id       text        PRIMARY KEY,
    user_id          text        NOT NULL,
    started_at       timestamptz NOT NULL,
    last_activity_at timestamptz NOT NULL,
    ended_at         timestamptz,
    event_count      integer     NOT NULL,
    page_views_count integer     NOT NULL,
    clicks_count     integer     NOT NULL,
    first_page       text        NOT NULL,
    last_page        text        NOT NULL,
    session_summary  text        NOT NULL,
    is_active        boolean     NOT NULL,
    patterns         jsonb       NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX session_user_started_idx ON session (user_id, started_at);
-- The idle-close sweep looks only at open sessions: a small partial index, not a scan of every session.
CREATE INDEX session_open_by_activity_idx ON session (last_activity_at) WHERE is_active;

-- User grain snapshots. version 0 marks a row that only exists to be locked (see PostgresGrainStateStore).
CREATE TABLE grain_state (
    user_id    text        PRIMARY KEY,
    version    bigint      NOT NULL,
    state      bytea       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
