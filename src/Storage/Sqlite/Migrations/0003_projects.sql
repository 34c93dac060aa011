-- Projects (PostgreSQL's 0006_projects.sql, docs/security.md): every row belongs to one project,
-- and every key that names a user or a session leads with it. Existing rows belong to project 1.
-- SQLite cannot change a primary key in place, so session and grain_state are rebuilt.

CREATE TABLE project (
    project_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE CHECK (name <> ''),
    created_at INTEGER NOT NULL
);
INSERT INTO project (project_id, name, created_at) VALUES (1, 'default', CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER));

CREATE TABLE project_key (
    key_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES project (project_id),
    kind        TEXT    NOT NULL CHECK (kind IN ('capture', 'secret')),
    token       TEXT    UNIQUE,
    secret_hash BLOB    UNIQUE,
    hint        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    CHECK ((kind = 'capture') = (token IS NOT NULL) AND (kind = 'secret') = (secret_hash IS NOT NULL))
);

ALTER TABLE raw_event ADD COLUMN project_id INTEGER NOT NULL DEFAULT 1;
DROP INDEX raw_event_distinct_id_timestamp_idx;
CREATE INDEX raw_event_user_timestamp_idx ON raw_event (project_id, distinct_id, timestamp);
DROP INDEX raw_event_pending_by_user_idx;
CREATE INDEX raw_event_pending_by_user_idx ON raw_event (project_id, distinct_id, seq) WHERE status = 'PENDING';

ALTER TABLE enriched_event ADD COLUMN project_id INTEGER NOT NULL DEFAULT 1;
DROP INDEX enriched_event_user_timestamp_idx;
CREATE INDEX enriched_event_user_timestamp_idx ON enriched_event (project_id, user_id, timestamp, sequence_number);
DROP INDEX enriched_event_session_timestamp_idx;
CREATE INDEX enriched_event_session_timestamp_idx ON enriched_event (project_id, session_id, timestamp, sequence_number);

CREATE TABLE session_new (
    project_id       INTEGER NOT NULL,
    session_id       TEXT    NOT NULL,
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
    updated_at       INTEGER NOT NULL,
    PRIMARY KEY (project_id, session_id)
);
INSERT INTO session_new
SELECT 1, session_id, user_id, started_at, last_activity_at, ended_at, event_count, page_views_count, clicks_count,
       first_page, last_page, session_summary, is_active, patterns, updated_at
FROM session;
DROP TABLE session;
ALTER TABLE session_new RENAME TO session;
CREATE INDEX session_user_started_idx ON session (project_id, user_id, started_at);
CREATE INDEX session_open_by_activity_idx ON session (last_activity_at) WHERE is_active = 1;

CREATE TABLE grain_state_new (
    project_id INTEGER NOT NULL,
    user_id    TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    state      BLOB    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
INSERT INTO grain_state_new SELECT 1, user_id, version, state, updated_at FROM grain_state;
DROP TABLE grain_state;
ALTER TABLE grain_state_new RENAME TO grain_state;

CREATE TABLE user_deletion (
    deletion_id     INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id      INTEGER NOT NULL REFERENCES project (project_id),
    requested_by    TEXT    NOT NULL,
    requested_at    INTEGER NOT NULL,
    raw_events      INTEGER NOT NULL,
    enriched_events INTEGER NOT NULL,
    sessions        INTEGER NOT NULL,
    snapshots       INTEGER NOT NULL
);
