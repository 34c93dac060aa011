using System.Collections.Concurrent;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Grains.Tests.Support;

/// <summary>
/// The real store, with every commit call recorded. For a refused commit it also records what storage
/// held right after the refusal, before the refused activation could do anything else: that is the
/// moment "nothing of it was written" must hold, whatever a later activation commits.
/// </summary>
/// <remarks>
/// Reads complete on a thread-pool thread, as PostgreSQL's do (Npgsql completes them on I/O threads).
/// SQLite's return completed tasks, under which a grain never yields inside a read, so neither an
/// interleaving nor a continuation running off the activation's scheduler could show.
/// </remarks>
internal sealed class RecordingGrainStateStore(IGrainStateStore inner, IRawEventLog rawLog) : IGrainStateStore
{
    private readonly ConcurrentQueue<CommitRecord> _commits = new();

    public IReadOnlyList<CommitRecord> CommitsOf(string userId) => [.. _commits.Where(c => c.Commit.UserId == userId)];

    public async Task<IReadOnlyList<UserRef>> CommitAsync(IReadOnlyList<UserCommit> commits, CancellationToken ct = default)
    {
        var rejected = await inner.CommitAsync(commits, ct);
        foreach (var commit in commits)
        {
            var refused = rejected.Contains(new UserRef(commit.ProjectId, commit.UserId));
            var after = refused
                ? new StoredAfterRefusal(
                    await inner.LoadUserAsync(commit.ProjectId, commit.UserId, ct),
                    await inner.LoadRecentEventsAsync(commit.ProjectId, commit.UserId, 10_000, since: null, ct),
                    await rawLog.ReadPendingAsync(commit.ProjectId, commit.UserId, ct),
                    [.. await Task.WhenAll(commit.Sessions.Select(r => inner.LoadSessionAsync(commit.ProjectId, r.SessionId, ct)))])
                : null;
            _commits.Enqueue(new CommitRecord(commit, refused, after));
        }
        return rejected;
    }

    public Task<UserSnapshot?> LoadUserAsync(long projectId, string userId, CancellationToken ct = default) =>
        Task.Run(() => inner.LoadUserAsync(projectId, userId, ct));

    public Task<UserActivation> LoadUserActivationAsync(long projectId, string userId, int recentLimit, CancellationToken ct = default) =>
        Task.Run(() => inner.LoadUserActivationAsync(projectId, userId, recentLimit, ct));

    public Task<IReadOnlyList<EnrichedEvent>> LoadRecentEventsAsync(long projectId, string userId, int limit, DateTimeOffset? since, CancellationToken ct = default) =>
        Task.Run(() => inner.LoadRecentEventsAsync(projectId, userId, limit, since, ct));

    public Task<SessionRecord?> LoadSessionAsync(long projectId, string sessionId, CancellationToken ct = default) =>
        Task.Run(() => inner.LoadSessionAsync(projectId, sessionId, ct));

    public Task<IReadOnlyList<SessionRecord>> LoadUserSessionsAsync(long projectId, string userId, int limit, CancellationToken ct = default) =>
        Task.Run(() => inner.LoadUserSessionsAsync(projectId, userId, limit, ct));

    public Task<int> CloseIdleSessionsAsync(DateTimeOffset lastActivityBefore, CancellationToken ct = default) =>
        inner.CloseIdleSessionsAsync(lastActivityBefore, ct);

    public Task<IReadOnlyList<EnrichedEvent>> LoadSessionEventsAsync(long projectId, string sessionId, int limit, CancellationToken ct = default) =>
        Task.Run(() => inner.LoadSessionEventsAsync(projectId, sessionId, limit, ct));

    public Task<Erasure> EraseUserAsync(long projectId, string userId, string requestedBy, CancellationToken ct = default) =>
        inner.EraseUserAsync(projectId, userId, requestedBy, ct);

    public Task<(long RawEvents, long EnrichedEvents)> PruneAsync(DateTimeOffset before, int batchSize, CancellationToken ct = default) =>
        inner.PruneAsync(before, batchSize, ct);
}

internal sealed record CommitRecord(UserCommit Commit, bool Refused, StoredAfterRefusal? After);

internal sealed record StoredAfterRefusal(UserSnapshot? Snapshot, IReadOnlyList<EnrichedEvent> Rows, IReadOnlyList<StoredEvent> Pending, IReadOnlyList<SessionRecord?> Sessions);
