using System.Text.Json;

namespace SessionInsights.Grains.Tests.Support;

/// <summary>A context reply parsed for assertions, with its exact bytes.</summary>
internal sealed record ContextView(byte[] Json, IReadOnlyList<ContextEvent> Events, int? LastSessionEventCount)
{
    public IReadOnlyList<Guid> RawIds => [.. Events.Select(e => e.RawId)];

    public static ContextView Parse(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var events = root.GetProperty("recent_events").EnumerateArray().Select(e => new ContextEvent(
            e.GetProperty("enriched_event_id").GetGuid(),
            e.GetProperty("raw_event_id").GetGuid(),
            e.GetProperty("session_id").GetString(),
            e.GetProperty("sequence_number").GetInt32(),
            e.GetProperty("timestamp").GetDateTimeOffset())).ToList();
        var last = root.GetProperty("last_session");
        return new ContextView(json, events, last.ValueKind == JsonValueKind.Object ? last.GetProperty("event_count").GetInt32() : null);
    }

    /// <summary>
    /// What every read must show, whatever it races with: no event twice, oldest first (timestamp,
    /// then sequence number) and, for one session read whole, sequence numbers 1..n without a hole.
    /// Sequence numbers record arrival (docs/patterns-and-sessions.md), so they need not follow
    /// timestamps: one-way deliveries may overtake each other.
    /// </summary>
    public void AssertWellFormed()
    {
        var ids = Events.Select(e => e.EnrichedId).ToList();
        Assert.True(ids.Count == ids.Distinct().Count(), $"duplicate enriched_event_id in {Describe()}");
        for (var i = 1; i < Events.Count; i++)
        {
            var (a, b) = (Events[i - 1], Events[i]);
            Assert.True(a.Timestamp < b.Timestamp || (a.Timestamp == b.Timestamp && a.Seq < b.Seq), $"events out of order at {i} in {Describe()}");
        }
        Assert.True(Events.Select(e => e.Seq).Order().SequenceEqual(Enumerable.Range(1, Events.Count)), $"sequence numbers are not 1..{Events.Count}: {Describe()}");
    }

    /// <summary>Exactly these raw events, each once, in this order, numbered 1..n.</summary>
    public void AssertExactly(IReadOnlyList<Guid> rawIds)
    {
        AssertWellFormed();
        Assert.Equal(rawIds, RawIds);
    }

    public string Describe() => $"{Events.Count} events, seq [{string.Join(",", Events.Select(e => e.Seq))}]";
}

internal sealed record ContextEvent(Guid EnrichedId, Guid RawId, string? SessionId, int Seq, DateTimeOffset Timestamp);
