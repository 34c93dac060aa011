-- Session Insights: snapshots compressed with lz4 instead of pglz (issue 12).
--
-- A user's snapshot (grain_state.state, ~4 KB of JSON on /batch) is rewritten by its grain's commits
-- and PostgreSQL compresses every value over ~2 KB before storing it; pglz costs several times the CPU
-- of lz4 for a similar ratio. Existing values keep their compression until they are next written.
-- The server must be built with lz4 (PostgreSQL 14+ packages are); docs/storage.md.
ALTER TABLE grain_state ALTER COLUMN state SET COMPRESSION lz4;
