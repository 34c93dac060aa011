-- Webhooks on pattern firings: the outbox; see the PostgreSQL migration 0009_webhooks.sql.
-- Times are Unix microseconds, as in every SQLite table here.

CREATE TABLE webhook_delivery (
    delivery_id     TEXT    NOT NULL,
    endpoint        TEXT    NOT NULL,
    project_id      INTEGER NOT NULL,
    user_id         TEXT    NOT NULL,
    session_id      TEXT    NOT NULL,
    pattern_code    TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    fired_at        INTEGER NOT NULL,
    payload         TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    finished_at     INTEGER,
    PRIMARY KEY (delivery_id, endpoint)
);

CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_delivery_fired_idx ON webhook_delivery (fired_at);
CREATE INDEX webhook_delivery_finished_idx ON webhook_delivery (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX webhook_delivery_user_idx ON webhook_delivery (project_id, user_id);
