using System.Text.Json.Serialization;

namespace SessionInsights.Domain.Patterns;

/// <summary>A <see cref="RuleState"/> in a user snapshot, keyed by rule code and definition fingerprint.</summary>
internal sealed record RuleStateSnapshot
{
    [JsonPropertyName("code")] public required string Code { get; init; }
    [JsonPropertyName("fp")] public ulong Fingerprint { get; init; }
    [JsonPropertyName("pos")] public int Positives { get; init; }
    [JsonPropertyName("first")] public long? FirstSeen { get; init; }
    [JsonPropertyName("last")] public long? LastSeen { get; init; }
    [JsonPropertyName("ev")] public EvidenceEvent[]? Evidence { get; init; }
    [JsonPropertyName("win_ok")] public bool WindowSatisfied { get; init; }
    [JsonPropertyName("win")] public long[]? Window { get; init; }
    [JsonPropertyName("neg")] public int Negatives { get; init; }
    [JsonPropertyName("neg_t")] public long[]? NegativeTicks { get; init; }
    [JsonPropertyName("neg_drop")] public long? MaxDroppedNegative { get; init; }
}
