-- Pattern rules in storage, versioned per project (issue 16, docs/patterns-and-sessions.md "Changing rules").
-- rule_set holds each project's current version: processes poll it to notice a change. pattern_rule
-- is the current set (disabled rules included); pattern_rule_version keeps every version of every
-- rule with who changed it and when. A project's first read copies the configured rules in as version 1.

CREATE TABLE rule_set (
    project_id bigint PRIMARY KEY REFERENCES project,
    version    bigint NOT NULL CHECK (version >= 1)
);

CREATE TABLE pattern_rule (
    project_id bigint      NOT NULL REFERENCES rule_set,
    code       text        NOT NULL,
    -- The rule file's JSON object for this rule, validated by the service before it is written.
    definition text        NOT NULL,
    enabled    boolean     NOT NULL,
    -- Rule-file order: the order grains evaluate and contexts list rules of equal severity in.
    position   integer     NOT NULL,
    version    bigint      NOT NULL,
    changed_by text        NOT NULL,
    changed_at timestamptz NOT NULL,
    PRIMARY KEY (project_id, code)
);

CREATE TABLE pattern_rule_version (
    project_id bigint      NOT NULL REFERENCES rule_set,
    version    bigint      NOT NULL,
    code       text        NOT NULL,
    change     text        NOT NULL CHECK (change IN ('seed', 'create', 'update', 'enable', 'disable', 'delete')),
    definition text,
    enabled    boolean     NOT NULL,
    changed_by text        NOT NULL,
    changed_at timestamptz NOT NULL,
    -- A seed writes every rule as version 1; any later version changes one rule.
    PRIMARY KEY (project_id, code, version)
);
