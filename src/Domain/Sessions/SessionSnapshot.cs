using System.Text.Json.Serialization;
using SessionInsights.Domain.Patterns;

namespace SessionInsights.Domain.Sessions;

/// <summary>A session's aggregate and pattern state inside a user snapshot.</summary>
internal sealed record SessionSnapshot
{
    [JsonPropertyName("id")] public required string SessionId { get; init; }
    [JsonPropertyName("start")] public DateTimeOffset StartedAt { get; init; }
    [JsonPropertyName("last")] public DateTimeOffset LastActivityAt { get; init; }
    [JsonPropertyName("end")] public DateTimeOffset? EndedAt { get; init; }
    [JsonPropertyName("recv")] public DateTimeOffset LastReceivedAt { get; init; }
    [JsonPropertyName("n")] public int EventCount { get; init; }
    [JsonPropertyName("pv")] public int PageViews { get; init; }
    [JsonPropertyName("clk")] public int Clicks { get; init; }
    [JsonPropertyName("rage")] public int RageClicks { get; init; }
    [JsonPropertyName("cust")] public int CustomEvents { get; init; }
    [JsonPropertyName("fp")] public required string FirstPage { get; init; }
    [JsonPropertyName("lp")] public required string LastPage { get; init; }
    [JsonPropertyName("active")] public bool IsActive { get; init; }
    [JsonPropertyName("titles")] public TitleSnapshot[]? Titles { get; init; }
    [JsonPropertyName("rules")] public List<RuleStateSnapshot>? Rules { get; init; }
}

internal sealed record TitleSnapshot(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("t")] long Ticks,
    [property: JsonPropertyName("seq")] int Seq);
