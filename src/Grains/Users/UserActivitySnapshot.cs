using System.Text.Json.Serialization;
using SessionInsights.Grains.Enrichment;
using SessionInsights.Grains.Sessions;

namespace SessionInsights.Grains.Users;

/// <summary>
/// The persisted form of <see cref="UserActivity"/>. Short property names and omitted defaults (null, 0, false) keep it
/// small; the recent events dominate its size. <see cref="Version"/> guards future format changes.
/// </summary>
internal sealed record UserActivitySnapshot
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("v")] public int Version { get; init; } = CurrentVersion;
    [JsonPropertyName("sessions")] public List<SessionSnapshot>? Sessions { get; init; }
    [JsonPropertyName("latest")] public string? LatestSessionId { get; init; }
    [JsonPropertyName("forgotten")] public List<string>? ForgottenSessionIds { get; init; }
    [JsonPropertyName("recent")] public List<RecentEventSnapshot>? Recent { get; init; }
    [JsonPropertyName("evicted")] public bool RecentEvicted { get; init; }
}

/// <summary>An <see cref="EnrichedEvent"/> without its user id, which the snapshot's owner supplies.</summary>
internal sealed record RecentEventSnapshot
{
    [JsonPropertyName("id")] public Guid EnrichedEventId { get; init; }
    [JsonPropertyName("raw")] public Guid RawEventId { get; init; }
    [JsonPropertyName("sid")] public string? SessionId { get; init; }
    [JsonPropertyName("name")] public required string EventName { get; init; }
    [JsonPropertyName("et")] public required string EventType { get; init; }
    [JsonPropertyName("at")] public required string ActionType { get; init; }
    [JsonPropertyName("label")] public required string SemanticLabel { get; init; }
    [JsonPropertyName("ts")] public DateTimeOffset Timestamp { get; init; }
    [JsonPropertyName("path")] public required string PagePath { get; init; }
    [JsonPropertyName("title")] public required string PageTitle { get; init; }
    [JsonPropertyName("el")] public string? ElementType { get; init; }
    [JsonPropertyName("text")] public string? ElementText { get; init; }
    [JsonPropertyName("seq")] public int SequenceNumber { get; init; }
    [JsonPropertyName("ctx")] public required EventContext Context { get; init; }

    public static RecentEventSnapshot From(EnrichedEvent e) => new()
    {
        EnrichedEventId = e.EnrichedEventId,
        RawEventId = e.RawEventId,
        SessionId = e.SessionId,
        EventName = e.EventName,
        EventType = e.EventType,
        ActionType = e.ActionType,
        SemanticLabel = e.SemanticLabel,
        Timestamp = e.Timestamp,
        PagePath = e.PagePath,
        PageTitle = e.PageTitle,
        ElementType = e.ElementType,
        ElementText = e.ElementText,
        SequenceNumber = e.SequenceNumber,
        Context = e.Context,
    };

    public EnrichedEvent ToEvent(string userId) => new()
    {
        EnrichedEventId = EnrichedEventId,
        RawEventId = RawEventId,
        UserId = userId,
        SessionId = SessionId,
        EventName = EventName,
        EventType = EventType,
        ActionType = ActionType,
        SemanticLabel = SemanticLabel,
        Timestamp = Timestamp,
        PagePath = PagePath,
        PageTitle = PageTitle,
        ElementType = ElementType,
        ElementText = ElementText,
        SequenceNumber = SequenceNumber,
        Context = Context,
    };
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(UserActivitySnapshot))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
