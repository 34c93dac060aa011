-- Session Insights: initial schema (SQLite).
-- Timestamps are INTEGER unix microseconds (UTC), uuids lower-case TEXT, JSON TEXT as received.
-- Applied by SqliteMigrator inside one BEGIN IMMEDIATE transaction.

CREATE TABLE raw_event (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    raw_event_id   TEXT    NOT NULL UNIQUE,
    event_name     TEXT    NOT NULL CHECK (event_name <> ''),
    distinct_id    TEXT    NOT NULL CHECK (distinct_id <> ''),
    timestamp      INTEGER NOT NULL,
    session_id     TEXT,
    properties     TEXT    NOT NULL,
    elements_chain TEXT,
    received_at    INTEGER NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DONE', 'FAILED')),
    failure_reason TEXT,
    processed_at   INTEGER
);

CREATE INDEX raw_event_distinct_id_timestamp_idx ON raw_event (distinct_id, timestamp);
CREATE INDEX raw_event_pending_by_user_idx ON raw_event (distinct_id, seq) WHERE status = 'PENDING';
CREATE INDEX raw_event_pending_by_received_idx ON raw_event (received_at) WHERE status = 'PENDING';
CREATE INDEX raw_event_failed_idx ON raw_event (seq) WHERE status = 'FAILED';

CREATE TABLE enriched_event (
    enriched_event_id TEXT    PRIMARY KEY,
    raw_event_id      TEXT    NOT NULL UNIQUE,
    user_id           TEXT    NOT NULL,
    session_id        TEXT,
    event_name        TEXT    NOT NULL,
    event_type        TEXT    NOT NULL,
    action_type       TEXT    NOT NULL,
    semantic_label    TEXT    NOT NULL,
    page_path         TEXT    NOT NULL,
    page_title        TEXT    NOT NULL,
    element_type      TEXT,
    element_text      TEXT,
    sequence_number   INTEGER NOT NULL,
    timestamp         INTEGER NOT NULL,
    context           TEXT    NOT NULL
);

CREATE INDEX enriched_event_user_timestamp_idx ON enriched_event (user_id, timestamp, sequence_number);
CREATE INDEX enriched_event_session_timestamp_idx ON enriched_event (session_id, timestamp, sequence_number);

CREATE TABLE session (
    session_id       TEXT    PRIMARY KEY,
    user_id          TEXT    NOT NULL,
    started_at       INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    ended_at         INTEGER,
    event_count      INTEGER NOT NULL,
    page_views_count INTEGER NOT NULL,
    clicks_count     INTEGER NOT NULL,
    first_page       TEXT    NOT NULL,
    last_page        TEXT    NOT NULL,
    session_summary  TEXT    NOT NULL,
    is_active        INTEGER NOT NULL,
    patterns         TEXT    NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE INDEX session_user_started_idx ON session (user_id, started_at);
-- The idle-close sweep looks only at open sessions: a small partial index, not a scan of every session.
CREATE INDEX session_open_by_activity_idx ON session (last_activity_at) WHERE is_active = 1;

CREATE TABLE grain_state (
    user_id    TEXT    PRIMARY KEY,
    version    INTEGER NOT NULL,
    state      BLOB    NOT NULL,
    updated_at INTEGER NOT NULL
);
