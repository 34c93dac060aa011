using System.Text.Json;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Tests.Events;

/// <summary>What the client said about an event's time, kept beside the corrected time (docs/ingestion.md "What is stored").</summary>
public sealed class ClientTimeTests
{
    private static JsonElement Value(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Nothing_sent_is_null()
    {
        Assert.Null(ClientTime.ToJson(default, Value("null"), default));
    }

    [Fact]
    public void The_present_fields_are_kept_exactly_as_sent()
    {
        var json = ClientTime.ToJson(Value("\"2026-12-01T14:59:50+03:00\""), Value("\"yesterday\""), Value("1500"));
        Assert.Equal("""{"timestamp":"2026-12-01T14:59:50+03:00","sent_at":"yesterday","offset":1500}""", json);
        Assert.Equal("""{"offset":"soon"}""", ClientTime.ToJson(default, default, Value("\"soon\"")));
    }

    [Fact]
    public void The_clients_timestamp_is_read_back_to_the_microsecond_and_only_when_valid()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 11, 59, 50, TimeSpan.Zero).AddTicks(1234560),
            ClientTime.Timestamp("""{"timestamp":"2026-12-01T14:59:50.1234567+03:00"}"""));
        Assert.Null(ClientTime.Timestamp("""{"timestamp":"soon"}"""));
        Assert.Null(ClientTime.Timestamp("""{"offset":5}"""));
        Assert.Null(ClientTime.Timestamp(null));
    }

    [Fact]
    public void The_enriched_event_shows_the_original_timestamp_only_when_another_time_was_used()
    {
        var enricher = new EventEnricher(EnrichmentOptions.Default);
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var evt = new PostHogEvent(Guid.NewGuid(), "$pageview", "u1", at, Value("{}"), null, """{"timestamp":"2026-12-01T15:00:00Z","sent_at":"2026-12-01T15:00:10Z"}""");

        Assert.Equal(at.AddHours(3), enricher.Enrich(evt, "s1").OriginalTimestamp);
        Assert.Null(enricher.Enrich(evt with { ClientTime = """{"timestamp":"2026-12-01T12:00:00Z"}""" }, "s1").OriginalTimestamp);
        Assert.Null(enricher.Enrich(evt with { ClientTime = null }, "s1").OriginalTimestamp);
    }
}
