-- Session Insights: fewer index writes per event (issue 12).
--
-- enriched_event: enriched_event_id is derived from raw_event_id (EnrichedEventIds.FromRawEventId),
-- so its own unique index only repeated raw_event_id's, at the cost of a random uuid index insert
-- per event. raw_event_id (unique, not null) becomes the primary key; enriched_event_id stays a
-- column. Inserts still skip rows already present (ON CONFLICT DO NOTHING).
ALTER TABLE enriched_event
    DROP CONSTRAINT enriched_event_pkey,
    DROP CONSTRAINT enriched_event_raw_event_id_key,
    ADD CONSTRAINT enriched_event_pkey PRIMARY KEY (raw_event_id);

-- session: every commit rewrites its sessions' rows, and last_activity_at changes each time. With
-- it in an index, no update could be HOT (each one added entries to every index of the table).
-- The idle sweep only needs the open sessions: a partial index on the key, whose predicate
-- (is_active) changes once, at close; the sweep filters by last activity among the open ones.
-- fillfactor leaves room on each page so that updated rows stay on their page.
DROP INDEX session_open_by_activity_idx;
CREATE INDEX session_open_idx ON session (session_id) WHERE is_active;
ALTER TABLE session SET (fillfactor = 80);
-- The same for snapshots: only user_id is indexed, so a snapshot update can stay on its page.
ALTER TABLE grain_state SET (fillfactor = 80);
