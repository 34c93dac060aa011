using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Capture;

/// <summary>
/// Issue 18 part 2 through a real gateway: ordinary traffic produces no warnings; a future timestamp, an
/// ancient one, a skewed sent_at and an invalid sent_at are counted with examples in GET /ingestion-warnings
/// and in /metrics.
/// </summary>
public sealed class IngestionWarningsEndpointTests
{
    private const string Token = "phc_warn_token";

    private static string Event(string user, string fields) =>
        $$"""{"event": "$pageview", "distinct_id": "{{user}}", "uuid": "{{Guid.NewGuid()}}", {{fields}} "properties": {"$session_id": "s-{{user}}"} }""";

    private static async Task PostBatchAsync(HttpClient http, string sentAt, params string[] events)
    {
        var sent = sentAt.Length == 0 ? "" : $"\"sent_at\": \"{sentAt}\", ";
        var body = $$"""{"api_key": "{{Token}}", {{sent}}"batch": [{{string.Join(",", events)}}]}""";
        var response = await http.PostAsync("/batch", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<Dictionary<string, JsonElement>> WarningsAsync(HttpClient http)
    {
        var view = await http.GetFromJsonAsync<JsonElement>("/ingestion-warnings");
        return view.GetProperty("types").EnumerateArray().ToDictionary(t => t.GetProperty("type").GetString()!);
    }

    [Fact]
    public async Task Warnings_are_counted_with_examples_and_exported_and_ordinary_traffic_has_none()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        var env = db.NodeEnvironment();
        env["Capture__Tokens"] = Token;
        await using var node = await NodeProcess.StartGatewayAsync(env);
        using var http = node.CreateClient();

        // Ordinary traffic: sent_at and timestamps from a correct clock, one event without a timestamp.
        var now = DateTimeOffset.UtcNow;
        await PostBatchAsync(http, now.ToString("O"),
            Event("ok-1", $"\"timestamp\": \"{now.AddSeconds(-5):O}\","),
            Event("ok-1", $"\"timestamp\": \"{now.AddSeconds(-1):O}\","),
            Event("ok-2", "\"offset\": 1500,"));
        await PostBatchAsync(http, "", Event("ok-3", $"\"timestamp\": \"{now:O}\","));
        Assert.All((await WarningsAsync(http)).Values, t => Assert.Equal(0, t.GetProperty("count").GetInt64()));

        // The anomalies: a future timestamp, an ancient one, a clock 3 hours fast, and an invalid sent_at.
        await PostBatchAsync(http, "",
            Event("future", "\"timestamp\": \"9999-12-31T23:59:59Z\","),
            Event("ancient", "\"timestamp\": \"1970-01-01T00:00:00Z\","),
            Event("invalid", $"\"timestamp\": \"{now:O}\", \"sent_at\": \"yesterday\","),
            Event("bad-offset", "\"offset\": \"soon\","));
        var fast = DateTimeOffset.UtcNow.AddHours(3);
        await PostBatchAsync(http, fast.ToString("O"), Event("skewed", $"\"timestamp\": \"{fast.AddSeconds(-10):O}\","));

        Dictionary<string, JsonElement> warnings = [];
        await ContextReader.WaitUntilAsync(
            async () =>
            {
                warnings = await WarningsAsync(http);
                return warnings["timestamp_in_future"].GetProperty("count").GetInt64() == 1
                    && warnings["timestamp_too_old"].GetProperty("count").GetInt64() == 1
                    && warnings["clock_skew_corrected"].GetProperty("count").GetInt64() == 1
                    && warnings["invalid_sent_at"].GetProperty("count").GetInt64() == 1
                    && warnings["invalid_offset"].GetProperty("count").GetInt64() == 1;
            },
            () => $"one warning of each type, got {string.Join(", ", warnings.Select(w => $"{w.Key}={w.Value.GetProperty("count")}"))}");
        Assert.Equal(0, warnings["distinct_id_truncated"].GetProperty("count").GetInt64());
        foreach (var (type, user, sent) in new[]
        {
            ("timestamp_in_future", "future", "9999-12-31T23:59:59Z"),
            ("timestamp_too_old", "ancient", "1970-01-01T00:00:00Z"),
            ("clock_skew_corrected", "skewed", "sent_at"),
            ("invalid_sent_at", "invalid", "yesterday"),
            ("invalid_offset", "bad-offset", "soon"),
        })
        {
            var example = Assert.Single(warnings[type].GetProperty("latest").EnumerateArray());
            Assert.Equal(user, example.GetProperty("distinct_id").GetString());
            Assert.Contains(sent, example.GetProperty("sent").GetString());
            Assert.NotEqual(Guid.Empty, example.GetProperty("uuid").GetGuid());
        }

        var metrics = "";
        await ContextReader.WaitUntilAsync(
            async () =>
            {
                metrics = await http.GetStringAsync("/metrics");
                return metrics.Contains("si_ingest_warnings_total{", StringComparison.Ordinal)
                    && metrics.Contains("type=\"timestamp_in_future\"", StringComparison.Ordinal);
            },
            () => "si_ingest_warnings_total{type=\"timestamp_in_future\"} in /metrics");

        // The insights page's copy is the same data.
        var insights = await http.GetFromJsonAsync<JsonElement>("/insights/api/ingestion-warnings");
        Assert.Contains(insights.GetProperty("types").EnumerateArray(), t => t.GetProperty("type").GetString() == "timestamp_too_old" && t.GetProperty("count").GetInt64() == 1);
        Assert.Contains("id=\"warnings-panel\"", await http.GetStringAsync("/insights"), StringComparison.Ordinal);
        Assert.Contains("api('/ingestion-warnings')", await http.GetStringAsync("/insights/insights.js"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_cuts_a_long_distinct_id_like_the_capture_endpoints_and_warns()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        await using var node = await NodeProcess.StartGatewayAsync(db.NodeEnvironment());
        using var http = node.CreateClient();
        var id = "long-" + new string('x', 295);
        var evt = $$"""{"event": {"event": "$pageview", "distinct_id": "{{id}}", "timestamp": "{{DateTimeOffset.UtcNow:O}}", "properties": {"$session_id": "s-long"} } }""";

        var response = await http.PostAsync("/ingest", new StringContent(evt, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var cut = id[..200];
        await ContextReader.WaitForAsync(http, cut, c => ContextReader.EventCount(c) == 1, timeoutMs: 60_000);
        Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{cut}'"));
        var warnings = await WarningsAsync(http);
        Assert.Equal(1, warnings["distinct_id_truncated"].GetProperty("count").GetInt64());
        // Examples show at most 120 characters of a value.
        Assert.StartsWith(cut[..100], Assert.Single(warnings["distinct_id_truncated"].GetProperty("latest").EnumerateArray()).GetProperty("distinct_id").GetString());
    }
}
