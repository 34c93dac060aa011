using System.Text.Json;
using SessionInsights.Gateway.Capture;
using SessionInsights.Gateway.Ingestion;

namespace SessionInsights.Integration.Tests.Capture;

/// <summary>Which ingestion warnings the capture normalizer reports (docs/ingestion.md "Ingestion warnings").</summary>
public sealed class IngestionAnomalyTests
{
    private static readonly DateTimeOffset Received = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static List<IngestionAnomaly> AnomaliesOf(string fields, string? batchSentAt = null, string properties = "", string distinctId = "\"u1\"")
    {
        using var doc = JsonDocument.Parse($$"""{"event": "$pageview", "distinct_id": {{distinctId}}, {{fields}} "properties": {"$session_id": "s1"{{properties}} } }""");
        var found = new List<IngestionAnomaly>();
        var (evt, error) = CaptureEventNormalizer.Normalize(doc.RootElement, "", Received, batchSentAt, found);
        Assert.Null(error);
        Assert.NotNull(evt);
        return found;
    }

    private static string TypeOf(List<IngestionAnomaly> found) => Assert.Single(found).Type;

    [Fact]
    public void Ordinary_events_have_no_warnings()
    {
        Assert.Empty(AnomaliesOf("\"timestamp\": \"2026-12-01T11:59:00Z\","));
        Assert.Empty(AnomaliesOf("\"timestamp\": \"2026-12-01T11:59:00Z\",", "2026-12-01T12:00:30Z"));
        Assert.Empty(AnomaliesOf("\"offset\": 5000,", "2026-12-01T15:00:00Z"));
        Assert.Empty(AnomaliesOf(""));
        Assert.Empty(AnomaliesOf("\"timestamp\": \"2026-12-01T10:00:00Z\",", "not a time", ", \"$ignore_sent_at\": true"));
    }

    [Fact]
    public void A_future_timestamp_is_reported_with_what_was_sent_and_used()
    {
        var found = AnomaliesOf("\"timestamp\": \"9999-12-31T23:59:59Z\",");
        Assert.Equal(IngestionWarnings.TimestampInFuture, TypeOf(found));
        Assert.Contains("9999-12-31T23:59:59Z", found[0].Sent);
        Assert.Equal("2026-12-01T12:00:00Z", found[0].Used);
        // Just within the 23 hours is kept without a warning.
        Assert.Empty(AnomaliesOf("\"timestamp\": \"2026-12-02T10:59:00Z\","));
    }

    [Fact]
    public void A_timestamp_before_the_floor_is_reported()
    {
        Assert.Equal(IngestionWarnings.TimestampTooOld, TypeOf(AnomaliesOf("\"timestamp\": \"1970-01-01T00:00:00Z\",")));
        Assert.Equal(IngestionWarnings.TimestampTooOld, TypeOf(AnomaliesOf("\"timestamp\": \"0001-01-01T00:00:00Z\",", null, "", "12345")));
    }

    [Fact]
    public void A_skew_correction_above_a_minute_is_reported_and_only_the_bound_when_both_apply()
    {
        var found = AnomaliesOf("\"timestamp\": \"2026-12-01T14:59:50Z\",", "2026-12-01T15:00:00Z");
        Assert.Equal(IngestionWarnings.ClockSkewCorrected, TypeOf(found));
        Assert.Equal("2026-12-01T11:59:50Z", found[0].Used);
        Assert.Empty(AnomaliesOf("\"timestamp\": \"2026-12-01T11:59:50Z\", \"sent_at\": \"2026-12-01T12:00:50Z\","));
        // sent_at far in the past makes the corrected time land in the future: the bound is what is reported.
        Assert.Equal(IngestionWarnings.TimestampInFuture, TypeOf(AnomaliesOf("\"timestamp\": \"2026-12-01T12:00:00Z\",", "2026-11-01T12:00:00Z")));
    }

    [Fact]
    public void An_invalid_sent_at_is_reported_whether_the_events_or_the_requests()
    {
        Assert.Equal(IngestionWarnings.InvalidSentAt, TypeOf(AnomaliesOf("\"timestamp\": \"2026-12-01T11:59:00Z\", \"sent_at\": \"yesterday\",")));
        Assert.Equal(IngestionWarnings.InvalidSentAt, TypeOf(AnomaliesOf("\"timestamp\": \"2026-12-01T11:59:00Z\", \"sent_at\": 12,")));
        Assert.Equal(IngestionWarnings.InvalidSentAt, TypeOf(AnomaliesOf("\"timestamp\": \"2026-12-01T11:59:00Z\",", "not a time")));
    }

    [Fact]
    public void A_distinct_id_cut_to_200_characters_is_reported()
    {
        var found = AnomaliesOf("\"timestamp\": \"2026-12-01T11:59:00Z\",", distinctId: $"\"{new string('x', 250)}\"");
        Assert.Equal(IngestionWarnings.DistinctIdTruncated, TypeOf(found));
        Assert.Equal("250 characters", found[0].Sent);
    }

    [Fact]
    public void The_service_counts_per_type_and_keeps_the_latest_examples_newest_first()
    {
        using var metrics = new IngestMetrics();
        var warnings = new IngestionWarnings(metrics, TimeProvider.System);
        for (var i = 0; i < IngestionWarnings.ExamplesPerType + 3; i++)
        {
            warnings.Record([new IngestionAnomaly(IngestionWarnings.InvalidSentAt, $"sent_at {i}", "ignored")], ProjectIds.Default, Guid.NewGuid(), $"u{i}");
        }
        // Another project's warning is counted for operators but never shown to this project.
        warnings.Record([new IngestionAnomaly(IngestionWarnings.InvalidSentAt, "theirs", "ignored")], 2, Guid.NewGuid(), "someone-else");
        Assert.Equal(IngestionWarnings.ExamplesPerType + 4, warnings.Snapshot(null).Types.Single(t => t.Type == IngestionWarnings.InvalidSentAt).Count);
        Assert.Equal(["someone-else"], warnings.Snapshot(2).Types.Single(t => t.Type == IngestionWarnings.InvalidSentAt).Latest.Select(e => e.DistinctId));
        var view = warnings.Snapshot(ProjectIds.Default);
        Assert.Equal(6, view.Types.Count);
        var invalid = Assert.Single(view.Types, t => t.Type == IngestionWarnings.InvalidSentAt);
        Assert.Equal(IngestionWarnings.ExamplesPerType + 3, invalid.Count);
        Assert.Equal(
            Enumerable.Range(3, IngestionWarnings.ExamplesPerType).Reverse().Select(i => $"u{i}"),
            invalid.Latest.Select(e => e.DistinctId));
        Assert.All(view.Types.Where(t => t.Type != IngestionWarnings.InvalidSentAt), t => Assert.Equal(0, t.Count));
    }

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("31536000000")]
    public void An_unusable_offset_is_ignored_with_a_warning(string offset)
    {
        var found = AnomaliesOf($"\"offset\": {offset},");
        Assert.Equal(IngestionWarnings.InvalidOffset, TypeOf(found));
        Assert.Contains(offset.Trim('"'), found[0].Sent);
    }
}
