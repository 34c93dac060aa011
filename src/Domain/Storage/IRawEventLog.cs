using SessionInsights.Domain.Events;
using SessionInsights.Domain.Projects;

namespace SessionInsights.Domain.Storage;

/// <summary>
/// The <c>raw_event</c> audit log: every accepted event as received, with its processing status.
/// </summary>
public interface IRawEventLog
{
    /// <summary>
    /// Stores all events in one transaction (all or nothing). An event whose uuid is already in the
    /// log is not stored again: its result has <see cref="AppendResult.Inserted"/> false.
    /// Results are in input order. Each event is stored in its <see cref="PostHogEvent.ProjectId"/>; a uuid
    /// is unique across projects (PostHog's uuids are random: a sender can only repeat one it knows).
    /// </summary>
    Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<PostHogEvent> events, CancellationToken ct = default);

    /// <summary>The user's PENDING events, in log order: what a grain replays after its snapshot.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadPendingAsync(long projectId, string userId, CancellationToken ct = default);

    /// <summary>Users that have PENDING events older than <paramref name="olderThan"/> (lost deliveries).</summary>
    Task<IReadOnlyList<UserRef>> FindUsersWithStalePendingAsync(TimeSpan olderThan, int max, CancellationToken ct = default);

    /// <summary>FAILED events, newest first: of one project, or of all when <paramref name="projectId"/> is null (operators).</summary>
    Task<IReadOnlyList<FailedEvent>> ReadFailedAsync(long? projectId, int limit, CancellationToken ct = default);

    /// <summary>
    /// Marks one FAILED event PENDING again (the insights page's Retry) and returns its user, so the
    /// caller can tell that user's grain to replay; null when no FAILED event has that uuid.
    /// </summary>
    Task<UserRef?> RetryFailedAsync(Guid uuid, CancellationToken ct = default);

    /// <summary>Counts per status, for health and operators.</summary>
    Task<RawEventCounts> CountAsync(CancellationToken ct = default);
}

public readonly record struct AppendResult(Guid Uuid, long Seq, bool Inserted);

public sealed record FailedEvent(long ProjectId, long Seq, Guid Uuid, string DistinctId, string EventName, DateTimeOffset ReceivedAt, string Reason);

public sealed record RawEventCounts(long Pending, long Done, long Failed);
