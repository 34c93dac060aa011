using System.Text.Json;
using SessionInsights.Domain.Events;
using SessionInsights.Gateway.Capture;

namespace SessionInsights.Integration.Tests.Capture;

/// <summary>Which sent_at, offset and $ignore_sent_at the capture endpoints use (docs/ingestion.md "Event time").</summary>
public sealed class CaptureEventTimeTests
{
    private static readonly DateTimeOffset Received = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset TimeOf(string fields, string? batchSentAt = null, string properties = "")
    {
        using var doc = JsonDocument.Parse($$"""{"event": "$pageview", "distinct_id": "u1", {{fields}} "properties": {"$session_id": "s1"{{properties}} } }""");
        var (evt, error) = CaptureEventNormalizer.Normalize(doc.RootElement, "", Received, batchSentAt);
        Assert.Null(error);
        return evt!.Timestamp;
    }

    private static DateTimeOffset T(string text)
    {
        Assert.True(TimestampParser.TryParse(text, out var value));
        return value;
    }

    [Fact]
    public void The_batch_sent_at_removes_the_clock_skew()
    {
        Assert.Equal(T("2026-12-01T11:59:50Z"), TimeOf("\"timestamp\": \"2026-12-01T14:59:50Z\",", "2026-12-01T15:00:00Z"));
    }

    [Fact]
    public void The_events_own_sent_at_wins_over_the_batch()
    {
        Assert.Equal(
            T("2026-12-01T11:59:00Z"),
            TimeOf("\"timestamp\": \"2026-12-01T08:59:00Z\", \"sent_at\": \"2026-12-01T09:00:00Z\",", "2026-12-01T15:00:00Z"));
    }

    [Fact]
    public void An_invalid_sent_at_is_ignored()
    {
        Assert.Equal(T("2026-12-01T10:00:00Z"), TimeOf("\"timestamp\": \"2026-12-01T10:00:00Z\", \"sent_at\": \"yesterday\",", "not a time"));
        Assert.Equal(T("2026-12-01T10:00:00Z"), TimeOf("\"timestamp\": \"2026-12-01T10:00:00Z\", \"sent_at\": 12,"));
    }

    [Fact]
    public void Ignore_sent_at_keeps_the_timestamp()
    {
        Assert.Equal(
            T("2026-12-01T10:00:00Z"),
            TimeOf("\"timestamp\": \"2026-12-01T10:00:00Z\",", "2026-12-01T15:00:00Z", ", \"$ignore_sent_at\": true"));
    }

    [Fact]
    public void Offset_without_a_timestamp_counts_back_from_the_receive_time_and_sent_at_is_not_applied()
    {
        Assert.Equal(Received.AddSeconds(-90), TimeOf("\"offset\": 90000,", "2026-12-01T15:00:00Z"));
        Assert.Equal(Received, TimeOf("", "2026-12-01T15:00:00Z"));
        // An offset that is not whole milliseconds from 0 to a year is ignored (it used to throw on a string).
        Assert.Equal(Received, TimeOf("\"offset\": \"soon\","));
        Assert.Equal(Received, TimeOf("\"offset\": -5,"));
    }

    [Fact]
    public void A_timestamp_far_ahead_becomes_the_receive_time_on_both_parse_paths()
    {
        // With top-level properties and a string distinct_id the event takes the direct parse path.
        Assert.Equal(Received, TimeOf("\"timestamp\": \"9999-12-31T23:59:59Z\","));
        Assert.Equal(Received, TimeOf("\"timestamp\": \"9999-12-31T23:59:59Z\", \"$elements\": [{\"tag_name\": \"a\"}],"));
    }
}
