using SessionInsights.Grains.Abstractions.Events;
using SessionInsights.Grains.Enrichment;
using SessionInsights.Grains.Storage;

namespace SessionInsights.Grains.Users;

/// <summary>
/// Everything known about one user, updated one event at a time: the user's open sessions (aggregates
/// and pattern state), the recent events ring and the latest session. Pure: time comes in as arguments.
/// </summary>
public sealed class UserActivity
{
    public UserActivity(string userId, InsightsOptions options) => throw new NotImplementedException();

    public string UserId => throw new NotImplementedException();

    /// <summary>
    /// Applies one event: resolves its session (its <c>$session_id</c>, else the user's active session),
    /// enriches it, assigns its sequence number and updates aggregates, patterns and recent events.
    /// </summary>
    public AppliedEvent Apply(PostHogEvent e, DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>Closes sessions idle for the configured timeout; returns the rows of sessions that changed.</summary>
    public IReadOnlyList<SessionRecord> CloseIdleSessions(DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>When the next idle close is due, or null when no session is open.</summary>
    public DateTimeOffset? NextIdleCheck(DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>The SPEC §7 context, as UTF-8 JSON, from memory.</summary>
    public byte[] RenderContext(int limit, TimeSpan? lookback, DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>Whether <see cref="RenderContext"/> can answer a read of this size from memory alone.</summary>
    public bool CanServeFromMemory(int limit) => throw new NotImplementedException();

    /// <summary>The SPEC §7 context with the recent events given (e.g. loaded from storage).</summary>
    public byte[] RenderContext(IReadOnlyList<EnrichedEvent> recentOldestFirst) => throw new NotImplementedException();

    /// <summary>The in-memory recent events (oldest first) that a context read would show.</summary>
    public IReadOnlyList<EnrichedEvent> RecentEvents(int limit, TimeSpan? lookback, DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>Compact state without the recent events ring (that is rebuilt from storage).</summary>
    public byte[] ToSnapshot() => throw new NotImplementedException();

    public static UserActivity FromSnapshot(string userId, byte[] snapshot, IReadOnlyList<EnrichedEvent> recentOldestFirst, InsightsOptions options) =>
        throw new NotImplementedException();
}

/// <summary>The result of applying one event: the enriched event and its session's new row.</summary>
public sealed record AppliedEvent(EnrichedEvent Event, SessionRecord? Session);
