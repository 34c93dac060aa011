-- Session Insights: Orleans cluster membership (Microsoft.Orleans.Clustering.AdoNet 10.4.x, Invariant "Npgsql").
--
-- The AdoNet provider ships no SQL: at start it runs `SELECT QueryKey, QueryText FROM OrleansQuery` and
-- refuses to start if one of the nine required keys is missing (the client checks them too).
-- Each QueryText below is run with named parameters (@DeploymentId is ClusterOptions.ClusterId) and
-- its result columns are read by name; Npgsql matches names case-insensitively, so the unquoted
-- lower-case columns satisfy "Address", "ProxyPort", ...
-- Parameter types as the provider sends them: Address text; Port, Generation, Status, ProxyPort and
-- Version int4; SiloName, HostName, SuspectTimes text (SuspectTimes may be NULL); StartTime and
-- IAmAliveTime DateTime with Kind=Utc, which Npgsql sends as timestamptz. The columns are timestamptz
-- so no value passes through the session TimeZone (a `timestamp` column would shift on a non-UTC server).
-- Query texts contain no semicolons and no `@` other than parameters (Npgsql rewrites @Name to $n).

-- Unquoted, so `OrleansQuery` in the provider's query folds to this table.
CREATE TABLE orleansquery (
    querykey  varchar(64) PRIMARY KEY,
    querytext text        NOT NULL
);

-- One row per cluster. version is the membership table's etag: every protocol change (a silo's row
-- inserted or its status/suspicions updated) must bump it from exactly the value the writer read.
CREATE TABLE orleansmembershipversiontable (
    deploymentid text        PRIMARY KEY,
    version      integer     NOT NULL DEFAULT 0,
    changed_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation: a restarted silo on the same endpoint gets a new generation.
-- ON DELETE CASCADE lets DeleteMembershipTableEntriesKey drop a whole cluster with one statement.
CREATE TABLE orleansmembershiptable (
    deploymentid text        NOT NULL REFERENCES orleansmembershipversiontable (deploymentid) ON DELETE CASCADE,
    address      text        NOT NULL,
    port         integer     NOT NULL,
    generation   integer     NOT NULL,
    siloname     text        NOT NULL,
    hostname     text        NOT NULL,
    status       integer     NOT NULL,   -- Orleans SiloStatus: 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead
    proxyport    integer     NOT NULL,   -- gateway port, 0 when the silo is no gateway
    suspecttimes text,                   -- "silo,date|silo,date" as the provider formats it; NULL when none
    starttime    timestamptz NOT NULL,
    iamalivetime timestamptz NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES

-- Run by every silo at start. Must return exactly one row with one boolean: true if it created the row.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleansmembershipversiontable (deploymentid)
    VALUES (@DeploymentId)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created)
$q$),

-- The provider takes the table version from the first row, and treats a row with NULL starttime as
-- "no member": hence the version table drives a LEFT JOIN, and one statement reads both consistently.
('MembershipReadRowKey', $q$
SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
       m.suspecttimes, m.starttime, m.iamalivetime
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON m.deploymentid = v.deploymentid
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deploymentid = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
       m.suspecttimes, m.starttime, m.iamalivetime
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId
$q$),

-- @Version is the version the silo read (the provider passes the etag, not version + 1). The version
-- row is bumped only if it still has that value; its row lock serialises concurrent writers, and a
-- writer that loses re-checks `version = @Version` after the winner commits and changes nothing.
-- The insert happens only if the bump did. One row, one boolean: false tells Orleans to re-read and retry.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleansmembershipversiontable
       SET version = version + 1, changed_at = now()
     WHERE deploymentid = @DeploymentId AND version = @Version
       AND NOT EXISTS (SELECT 1 FROM orleansmembershiptable
                        WHERE deploymentid = @DeploymentId
                          AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deploymentid
), inserted AS (
    INSERT INTO orleansmembershiptable (deploymentid, address, port, generation, siloname, hostname,
                                        status, proxyport, starttime, iamalivetime)
    SELECT deploymentid, @Address, @Port, @Generation, @SiloName, @HostName,
           @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted)
$q$),

-- Same optimistic check as InsertMembershipKey; the per-row etag is not used by this provider.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleansmembershipversiontable
       SET version = version + 1, changed_at = now()
     WHERE deploymentid = @DeploymentId AND version = @Version
       AND EXISTS (SELECT 1 FROM orleansmembershiptable
                    WHERE deploymentid = @DeploymentId
                      AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deploymentid
), updated AS (
    UPDATE orleansmembershiptable m
       SET status = @Status, suspecttimes = @SuspectTimes, iamalivetime = @IAmAliveTime
      FROM bumped b
     WHERE m.deploymentid = b.deploymentid
       AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated)
$q$),

-- Heartbeat: not a membership protocol change, so no version bump (and no result is read).
('UpdateIAmAlivetimeKey', $q$
UPDATE orleansmembershiptable
   SET iamalivetime = @IAmAliveTime
 WHERE deploymentid = @DeploymentId
   AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- Used by clients (AdoNetGatewayListProvider) to find gateways; @Status is 3 (Active).
-- Columns read: Address, ProxyPort, Generation. Clients load and check all keys too, none extra.
('GatewaysQueryKey', $q$
SELECT address, proxyport, generation
FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0
$q$),

-- Removes a whole cluster: the version row, and its silo rows by cascade.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId
$q$),

-- Bulk cleanup of dead silos not heard from since @IAmAliveTime (status 6 = Dead). 10.4.2 uses this
-- only when the optional CleanupDefunctSiloEntryKey below is absent.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND status = 6 AND iamalivetime < @IAmAliveTime
$q$),

-- Optional in 10.4.2 and preferred when present: the provider reads the table, picks dead rows older
-- than the cutoff and deletes each one only if it is still dead and unchanged since it was read
-- (@StartTime, @IAmAliveTime, @SuspectTimes as read). The provider treats NULL and empty suspect
-- lists alike, hence the coalesce.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6
  AND starttime = @StartTime AND iamalivetime = @IAmAliveTime
  AND coalesce(suspecttimes, '') = coalesce(@SuspectTimes, '')
$q$);
