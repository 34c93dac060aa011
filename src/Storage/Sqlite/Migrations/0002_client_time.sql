-- Session Insights: what the client said about an event's time, beside the corrected time (issue 18).
-- raw_event.timestamp stays the corrected time grains replay from; client_time keeps the client's own
-- timestamp, sent_at and offset as sent (JSON text of those present), NULL when the event's time is the
-- client's timestamp unchanged. original_timestamp is unix microseconds, like every SQLite time here.
ALTER TABLE raw_event ADD COLUMN client_time TEXT;
ALTER TABLE enriched_event ADD COLUMN original_timestamp INTEGER;
