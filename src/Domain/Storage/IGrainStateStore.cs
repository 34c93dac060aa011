using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Projects;

namespace SessionInsights.Domain.Storage;

/// <summary>
/// Persisted grain state: user snapshots, the <c>enriched_event</c> semantic layer and the
/// <c>session</c> aggregates. Every read names the project: a user or session id means nothing outside it.
/// </summary>
public interface IGrainStateStore
{
    Task<UserSnapshot?> LoadUserAsync(long projectId, string userId, CancellationToken ct = default);

    /// <summary>
    /// Everything a user grain activation reads, at once (one round trip on PostgreSQL): the snapshot,
    /// the user's PENDING raw events in log order (as <see cref="IRawEventLog.ReadPendingAsync"/>) and,
    /// when there is a snapshot, its latest <paramref name="recentLimit"/> stored events (as
    /// <see cref="LoadRecentEventsAsync"/>).
    /// </summary>
    Task<UserActivation> LoadUserActivationAsync(long projectId, string userId, int recentLimit, CancellationToken ct = default);

    /// <summary>
    /// Writes several users' commits in one transaction. A commit whose
    /// <see cref="UserCommit.ExpectedVersion"/> does not match the stored snapshot version is
    /// skipped whole (a stale grain incarnation) and its user returned; the others are written.
    /// </summary>
    Task<IReadOnlyList<UserRef>> CommitAsync(IReadOnlyList<UserCommit> commits, CancellationToken ct = default);

    /// <summary>The user's latest events (by timestamp, then sequence number), returned oldest first.</summary>
    Task<IReadOnlyList<EnrichedEvent>> LoadRecentEventsAsync(long projectId, string userId, int limit, DateTimeOffset? since, CancellationToken ct = default);

    Task<SessionRecord?> LoadSessionAsync(long projectId, string sessionId, CancellationToken ct = default);

    /// <summary>
    /// The user's latest <paramref name="limit"/> sessions by start, newest first (ties: the greater id
    /// first, ordinal), for the context's previous sessions. One read of the (project, user, start) index.
    /// </summary>
    Task<IReadOnlyList<SessionRecord>> LoadUserSessionsAsync(long projectId, string userId, int limit, CancellationToken ct = default);

    /// <summary>
    /// Marks open sessions whose last activity is before <paramref name="lastActivityBefore"/> as closed
    /// (ended_at = last activity). For sessions whose user grain has passivated: no timer is left to
    /// close them, and the grain closes them itself when it comes back. Returns how many were closed.
    /// </summary>
    Task<int> CloseIdleSessionsAsync(DateTimeOffset lastActivityBefore, CancellationToken ct = default);

    /// <summary>The session's latest <paramref name="limit"/> events (by timestamp, then sequence number), oldest first.</summary>
    Task<IReadOnlyList<EnrichedEvent>> LoadSessionEventsAsync(long projectId, string sessionId, int limit, CancellationToken ct = default);

    /// <summary>
    /// Erases a user of a project in one transaction: raw events (log and pending), enriched events,
    /// sessions and the snapshot, and records the deletion (who asked, when, how many rows; never an
    /// id or any content). Rows stored after the erase began are kept: they are a new person.
    /// </summary>
    Task<Erasure> EraseUserAsync(long projectId, string userId, string requestedBy, CancellationToken ct = default);

    /// <summary>
    /// Retention, one small batch: of the oldest <paramref name="batchSize"/> raw events (log order),
    /// deletes those received before <paramref name="before"/> that are not PENDING, with their
    /// enriched events. Sessions and snapshots stay. Returns how many of each went (0 raw: nothing
    /// older is left at the head of the log). No index on time is needed: the log's order is its age.
    /// </summary>
    Task<(long RawEvents, long EnrichedEvents)> PruneAsync(DateTimeOffset before, int batchSize, CancellationToken ct = default);
}

/// <summary>What an erase removed: rows per table, and what the grains still hold in memory to forget.</summary>
/// <param name="PendingUuids">Raw events that were still PENDING: a delivery of one may still be on its way to the grain.</param>
/// <param name="SessionIds">The user's sessions, whose session grains must forget their views.</param>
public sealed record Erasure(long RawEvents, long EnrichedEvents, long Sessions, long Snapshots, IReadOnlyList<Guid> PendingUuids, IReadOnlyList<string> SessionIds)
{
    public long Rows => RawEvents + EnrichedEvents + Sessions + Snapshots;
}

/// <summary>What a user grain activation starts from: see <see cref="IGrainStateStore.LoadUserActivationAsync"/>.</summary>
public sealed record UserActivation(UserSnapshot? Snapshot, IReadOnlyList<StoredEvent> Pending, IReadOnlyList<EnrichedEvent> Recent);

/// <summary>A user grain's serialized state and the version it was written at (0 = never).</summary>
public sealed record UserSnapshot(long ProjectId, string UserId, long Version, byte[] State);

/// <summary>
/// Everything one user grain flushes at once. Written atomically with the raw events' status, so
/// that "snapshot + PENDING raw events" is always the whole truth. Its enriched events and session
/// rows belong to <see cref="ProjectId"/>.
/// </summary>
/// <param name="State">
/// The snapshot, written at <see cref="ExpectedVersion"/> + 1; null for a commit without one
/// (<c>Grains:SnapshotInterval</c>): its rows are written after the same version check, the version
/// stays, and <see cref="Done"/> must be empty (the raw events stay PENDING until a snapshot covers
/// them). Such a commit needs a stored snapshot: at version 0 it is refused as stale.
/// </param>
public sealed record UserCommit(
    long ProjectId,
    string UserId,
    long ExpectedVersion,
    byte[]? State,
    IReadOnlyList<EnrichedEvent> Enriched,
    IReadOnlyList<SessionRecord> Sessions,
    IReadOnlyList<Guid> Done,
    IReadOnlyList<RawFailure> Failed)
{
    /// <summary>Webhook outbox rows of the patterns these events fired (docs/webhooks.md): written with them, or not at all.</summary>
    public IReadOnlyList<WebhookOutboxRow> Webhooks { get; init; } = [];

    /// <summary>
    /// Events this commit settles (applied or failed since the previous commit), for the grain's
    /// backlog metric; not stored. It differs from <see cref="Done"/> once snapshots are periodic.
    /// </summary>
    public int EventCount { get; init; }
}

/// <summary>
/// An event whose processing threw. <paramref name="Attempts"/> counts the failed tries so far (this
/// one included). With <paramref name="RetryAfter"/> the event stays PENDING and is due again that
/// long after the commit (storage's clock); without, it is a dead letter (DEAD_LETTER, kept with the
/// reason until someone retries it).
/// </summary>
public readonly record struct RawFailure(Guid Uuid, string Reason, int Attempts = 1, TimeSpan? RetryAfter = null);

/// <summary>A row of the <c>session</c> table (SPEC §5 aggregates).</summary>
public sealed record SessionRecord(
    string SessionId,
    string UserId,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivityAt,
    DateTimeOffset? EndedAt,
    int EventCount,
    int PageViewsCount,
    int ClicksCount,
    string FirstPage,
    string LastPage,
    string Summary,
    bool IsActive,
    string PatternsJson)
{
    /// <summary>
    /// Whether this row is no older than <paramref name="other"/>: a session only grows, then
    /// closes, so more events, later activity, then closed, is newer. Copies of a row reach a
    /// session grain from storage and from user grains (a replaying incarnation, a delayed tell),
    /// in no guaranteed order.
    /// </summary>
    public bool IsAtLeastAsFreshAs(SessionRecord other) =>
        (EventCount, LastActivityAt, EndedAt is not null).CompareTo((other.EventCount, other.LastActivityAt, other.EndedAt is not null)) >= 0;
}
