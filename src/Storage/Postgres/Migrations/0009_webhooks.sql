-- Webhooks on pattern firings (docs/webhooks.md): the outbox, one row per firing and endpoint.
--
-- User grains insert rows in the same transaction as the events that fired them (a crash can neither
-- lose a firing of a committed event nor invent one); a replay makes the same delivery_id, and the
-- insert ignores a row already there. Dispatchers on the silos claim due rows (FOR UPDATE SKIP LOCKED,
-- then a lease: lease_until) and record each attempt. Delivered and failed rows stay for the dashboard
-- until Webhooks:Retention has passed.

CREATE TABLE webhook_delivery (
    delivery_id     uuid        NOT NULL,
    -- The endpoint's URL, which names it in Webhooks:Endpoints.
    endpoint        text        NOT NULL,
    project_id      bigint      NOT NULL,
    user_id         text        NOT NULL,
    session_id      text        NOT NULL,
    pattern_code    text        NOT NULL,
    kind            text        NOT NULL,
    fired_at        timestamptz NOT NULL,
    -- The JSON body as sent: built once when the pattern fired, the same on every attempt.
    payload         text        NOT NULL,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until     timestamptz,
    last_status     integer,
    last_error      text,
    finished_at     timestamptz,
    PRIMARY KEY (delivery_id, endpoint)
);

-- The dispatchers' poll: only pending rows are indexed, so an idle outbox costs one empty index probe.
CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE state = 'pending';
-- The dashboard's newest-first list.
CREATE INDEX webhook_delivery_fired_idx ON webhook_delivery (fired_at);
-- Retention, and erasing a user's rows.
CREATE INDEX webhook_delivery_finished_idx ON webhook_delivery (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX webhook_delivery_user_idx ON webhook_delivery (project_id, user_id);
