using System.Text;
using System.Text.Json;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Tests;

/// <summary>Builders for the storage types, with values shaped like real PostHog data.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset BaseTime = new(2025, 12, 9, 10, 30, 45, TimeSpan.Zero);

    public static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..12];

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static PostHogEvent Event(
        string distinctId,
        string? sessionId = "sess-1",
        string name = "$pageview",
        DateTimeOffset? timestamp = null,
        string? elementsChain = null,
        Guid? uuid = null,
        string? extraProperties = null)
    {
        var properties = new StringBuilder("{");
        if (sessionId is not null)
        {
            properties.Append("\"$session_id\":\"").Append(sessionId).Append("\",");
        }
        properties.Append("\"$pathname\":\"/billing\",\"token\":\"phc_test\"");
        if (extraProperties is not null)
        {
            properties.Append(',').Append(extraProperties);
        }
        properties.Append('}');
        return new PostHogEvent(
            uuid ?? Guid.NewGuid(), name, distinctId, timestamp ?? BaseTime, Json(properties.ToString()), elementsChain);
    }

    public static List<PostHogEvent> Events(string distinctId, int count, string? sessionId = "sess-1") =>
        [.. Enumerable.Range(0, count).Select(i => Event(distinctId, sessionId, timestamp: BaseTime.AddSeconds(i)))];

    public static EnrichedEvent Enriched(
        PostHogEvent e,
        int sequenceNumber,
        string? sessionId = null,
        DateTimeOffset? timestamp = null,
        string? context = null) => new()
        {
            EnrichedEventId = Guid.NewGuid(),
            RawEventId = e.Uuid,
            UserId = e.DistinctId,
            SessionId = sessionId ?? e.SessionId,
            EventName = e.Event,
            EventType = "pageview",
            ActionType = "view",
            SemanticLabel = "Viewed billing page",
            Timestamp = timestamp ?? e.Timestamp,
            PagePath = "/billing",
            PageTitle = "billing page",
            ElementType = sequenceNumber % 2 == 0 ? "button" : null,
            ElementText = sequenceNumber % 2 == 0 ? "Upgrade ✓" : null,
            SequenceNumber = sequenceNumber,
            Context = new EventContext(Encoding.UTF8.GetBytes(context ?? $$"""{"posthog_event":"{{e.Event}}","hierarchy":["button","div"],"n":{{sequenceNumber}}}""")),
        };

    public static SessionRecord Session(string sessionId, string userId, int eventCount = 1, bool isActive = true, DateTimeOffset? endedAt = null) => new(
        SessionId: sessionId,
        UserId: userId,
        StartedAt: BaseTime,
        LastActivityAt: BaseTime.AddMinutes(eventCount),
        EndedAt: endedAt,
        EventCount: eventCount,
        PageViewsCount: eventCount,
        ClicksCount: 0,
        FirstPage: "/billing",
        LastPage: "/checkout",
        Summary: $"Viewed {eventCount} pages including billing page.",
        IsActive: isActive,
        PatternsJson: """[{"code":"checkout_abandonment","severity":"HIGH"}]""");

    public static UserCommit Commit(
        string userId,
        long expectedVersion,
        IReadOnlyList<EnrichedEvent>? enriched = null,
        IReadOnlyList<SessionRecord>? sessions = null,
        IReadOnlyList<Guid>? done = null,
        IReadOnlyList<RawFailure>? failed = null,
        string? state = null) => new(
            ProjectIds.Default,
            userId,
            expectedVersion,
            Encoding.UTF8.GetBytes(state ?? $"state of {userId} after v{expectedVersion}"),
            enriched ?? [],
            sessions ?? [],
            done ?? [],
            failed ?? []);

    /// <summary>A commit without a snapshot (Grains:SnapshotInterval): rows and failures only, the version checked and kept.</summary>
    public static UserCommit RowsOnly(
        string userId,
        long expectedVersion,
        IReadOnlyList<EnrichedEvent>? enriched = null,
        IReadOnlyList<SessionRecord>? sessions = null,
        IReadOnlyList<RawFailure>? failed = null) =>
        Commit(userId, expectedVersion, enriched, sessions, failed: failed) with { State = null };
}

internal static class UserRefs
{
    /// <summary>The distinct ids of users of the default project, for comparing with what storage returns.</summary>
    public static IEnumerable<string> Ids(this IEnumerable<UserRef> users) =>
        users.Select(u => u.ProjectId == ProjectIds.Default ? u.DistinctId : $"{u.ProjectId}/{u.DistinctId}");
}
