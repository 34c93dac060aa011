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
    /// Marks open sessions whose last activity is before <paramref name="lastActivityBefore"/> as closed
    /// (ended_at = last activity). For sessions whose user grain has passivated: no timer is left to
    /// close them, and the grain closes them itself when it comes back. Returns how many were closed.
    /// </summary>
    Task<int> CloseIdleSessionsAsync(DateTimeOffset lastActivityBefore, CancellationToken ct = default);

    /// <summary>The session's latest <paramref name="limit"/> events (by timestamp, then sequence number), oldest first.</summary>
    Task<IReadOnlyList<EnrichedEvent>> LoadSessionEventsAsync(long projectId, string sessionId, int limit, CancellationToken ct = default);
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
public sealed record UserCommit(
    long ProjectId,
    string UserId,
    long ExpectedVersion,
    byte[] State,
    IReadOnlyList<EnrichedEvent> Enriched,
    IReadOnlyList<SessionRecord> Sessions,
    IReadOnlyList<Guid> Done,
    IReadOnlyList<RawFailure> Failed);

public readonly record struct RawFailure(Guid Uuid, string Reason);

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
