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

    /// <summary>
    /// The user's PENDING events that are due, in log order: what a grain replays after its snapshot.
    /// An event waiting for an automatic retry is left out until its retry time.
    /// </summary>
    Task<IReadOnlyList<StoredEvent>> ReadPendingAsync(long projectId, string userId, CancellationToken ct = default);

    /// <summary>
    /// Users that have PENDING events older than <paramref name="olderThan"/> (lost deliveries). Events
    /// waiting for an automatic retry are not lost: <see cref="FindUsersWithDueRetriesAsync"/> finds them.
    /// </summary>
    Task<IReadOnlyList<UserRef>> FindUsersWithStalePendingAsync(TimeSpan olderThan, int max, CancellationToken ct = default);

    /// <summary>Users that have an event whose automatic retry time has come, longest due first.</summary>
    Task<IReadOnlyList<UserRef>> FindUsersWithDueRetriesAsync(int max, CancellationToken ct = default);

    /// <summary>DEAD_LETTER events, newest first: of one project, or of all when <paramref name="projectId"/> is null (operators).</summary>
    Task<IReadOnlyList<FailedEvent>> ReadFailedAsync(long? projectId, int limit, CancellationToken ct = default);

    /// <summary>How many DEAD_LETTER events there are: of one project, or of all when <paramref name="projectId"/> is null.</summary>
    Task<long> CountDeadLettersAsync(long? projectId, CancellationToken ct = default);

    /// <summary>
    /// Marks one DEAD_LETTER event PENDING again with a fresh retry budget (the insights page's Retry)
    /// and returns its user, so the caller can tell that user's grain to replay; null when no dead
    /// letter has that uuid.
    /// </summary>
    Task<UserRef?> RetryFailedAsync(Guid uuid, CancellationToken ct = default);

    /// <summary>
    /// Marks every DEAD_LETTER event of one project (or of all when <paramref name="projectId"/> is
    /// null) PENDING again with a fresh retry budget, in one transaction: "retry all after a fix".
    /// Returns how many, and their users, whose grains the caller tells to replay.
    /// </summary>
    Task<DeadLetterRetry> RetryDeadLettersAsync(long? projectId, CancellationToken ct = default);

    /// <summary>Counts per status, for health and operators.</summary>
    Task<RawEventCounts> CountAsync(CancellationToken ct = default);
}

public readonly record struct AppendResult(Guid Uuid, long Seq, bool Inserted);

/// <summary>A dead letter: <paramref name="Reason"/> is the last error, <paramref name="Attempts"/> how many times applying it failed.</summary>
public sealed record FailedEvent(long ProjectId, long Seq, Guid Uuid, string DistinctId, string EventName, DateTimeOffset ReceivedAt, string Reason, int Attempts)
{
    /// <summary>Always DEAD_LETTER (the status the audit view shows): what is retrying is still PENDING.</summary>
    public string Status => "DEAD_LETTER";
}

/// <summary>What <see cref="IRawEventLog.RetryDeadLettersAsync"/> made PENDING again.</summary>
public sealed record DeadLetterRetry(long Events, IReadOnlyList<UserRef> Users);

/// <param name="Failed">DEAD_LETTER events (FAILED before automatic retries existed).</param>
public sealed record RawEventCounts(long Pending, long Done, long Failed);
