-- Pattern rules in storage, versioned per project: see the PostgreSQL migration 0007_rules.sql.
-- Times are Unix microseconds, as in every SQLite table here.

CREATE TABLE rule_set (
    project_id INTEGER PRIMARY KEY REFERENCES project,
    version    INTEGER NOT NULL CHECK (version >= 1)
);

CREATE TABLE pattern_rule (
    project_id INTEGER NOT NULL REFERENCES rule_set,
    code       TEXT    NOT NULL,
    definition TEXT    NOT NULL,
    enabled    INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    changed_by TEXT    NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (project_id, code)
);

CREATE TABLE pattern_rule_version (
    project_id INTEGER NOT NULL REFERENCES rule_set,
    version    INTEGER NOT NULL,
    code       TEXT    NOT NULL,
    change     TEXT    NOT NULL CHECK (change IN ('seed', 'create', 'update', 'enable', 'disable', 'delete')),
    definition TEXT,
    enabled    INTEGER NOT NULL,
    changed_by TEXT    NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (project_id, code, version)
);
