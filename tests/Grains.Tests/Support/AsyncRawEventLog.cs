using SessionInsights.Domain.Events;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Grains.Tests.Support;

/// <summary>
/// The real raw log, whose reads complete on a thread-pool thread as PostgreSQL's do (SQLite's complete
/// at once), so that a grain awaiting one really yields and other calls and timers interleave.
/// </summary>
internal sealed class AsyncRawEventLog(IRawEventLog inner) : IRawEventLog
{
    public Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<PostHogEvent> events, CancellationToken ct = default) =>
        inner.AppendAsync(events, ct);

    public Task<IReadOnlyList<StoredEvent>> ReadPendingAsync(long projectId, string userId, CancellationToken ct = default) =>
        Task.Run(() => inner.ReadPendingAsync(projectId, userId, ct));

    public Task<IReadOnlyList<UserRef>> FindUsersWithStalePendingAsync(TimeSpan olderThan, int max, CancellationToken ct = default) =>
        Task.Run(() => inner.FindUsersWithStalePendingAsync(olderThan, max, ct));

    public Task<IReadOnlyList<UserRef>> FindUsersWithDueRetriesAsync(int max, CancellationToken ct = default) =>
        Task.Run(() => inner.FindUsersWithDueRetriesAsync(max, ct));

    public Task<long> CountDeadLettersAsync(long? projectId, CancellationToken ct = default) => inner.CountDeadLettersAsync(projectId, ct);

    public Task<DeadLetterRetry> RetryDeadLettersAsync(long? projectId, CancellationToken ct = default) => inner.RetryDeadLettersAsync(projectId, ct);

    public Task<IReadOnlyList<FailedEvent>> ReadFailedAsync(long? projectId, int limit, CancellationToken ct = default) => inner.ReadFailedAsync(projectId, limit, ct);

    public Task<UserRef?> RetryFailedAsync(Guid uuid, CancellationToken ct = default) => inner.RetryFailedAsync(uuid, ct);

    public Task<RawEventCounts> CountAsync(CancellationToken ct = default) => inner.CountAsync(ct);
}
