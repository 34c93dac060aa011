using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Capture;

/// <summary>
/// Issue 18 part 1 through real HTTP and storage, on both backends: the raw event keeps what the client
/// sent about the time (raw_event.client_time) beside the corrected time, and the enriched event shows both
/// (original_timestamp), also after the gateway restarts (docs/ingestion.md "What is stored").
/// </summary>
public sealed class ClientTimeStoredTests
{
    private const string Token = "phc_client_time";

    private static string Event(string user, string path, string fields, string properties = "") =>
        $$"""{"event": "$pageview", "distinct_id": "{{user}}", "uuid": "{{Guid.NewGuid()}}", {{fields}} "properties": {"$session_id": "s-{{user}}", "$pathname": "{{path}}"{{properties}} } }""";

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task The_clients_time_is_kept_beside_the_corrected_time(string backend)
    {
        await using var db = await StorageBackend.CreateAsync(backend);
        var env = db.NodeEnvironment();
        env["Capture__Tokens"] = Token;
        const string user = "client-time-user";
        var node = await NodeProcess.StartGatewayAsync(env);
        var fastSent = "";
        var fastTimestamp = "";
        DateTimeOffset sentFrom;
        try
        {
            using var http = node.CreateClient();
            sentFrom = DateTimeOffset.UtcNow;
            // A device whose clock runs 3 hours fast, with the time written as the device's own offset (+03:00).
            var fast = sentFrom.AddHours(3).ToOffset(TimeSpan.FromHours(3));
            fastSent = fast.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz");
            fastTimestamp = fast.AddSeconds(-10).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz");
            var body = $$"""
                {"api_key": "{{Token}}", "sent_at": "{{fastSent}}", "batch": [
                  {{Event(user, "/skewed", $"\"timestamp\": \"{fastTimestamp}\",")}},
                  {{Event(user, "/as-sent", $"\"timestamp\": \"{sentFrom.AddSeconds(-5):O}\",", ", \"$ignore_sent_at\": true")}},
                  {{Event(user, "/offset", "\"offset\": 60000,")}}
                ]}
                """;
            var captured = await http.PostAsync("/batch", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, captured.StatusCode);
            using var webhook = JsonDocument.Parse(Event(user, "/far-future", "\"timestamp\": \"9999-12-31T23:59:59Z\","));
            var ingested = await http.PostAsJsonAsync("/ingest", new { @event = webhook.RootElement });
            Assert.Equal(HttpStatusCode.Accepted, ingested.StatusCode);

            var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 4, timeoutMs: 60_000);
            AssertTimes(context, sentFrom, DateTimeOffset.UtcNow, fastTimestamp);
            long enriched = 0;
            await ContextReader.WaitUntilAsync(
                async () => (enriched = await db.ScalarAsync("SELECT count(*) FROM enriched_event WHERE original_timestamp IS NOT NULL")) == 2,
                () => $"two enriched rows with an original_timestamp (have {enriched})", timeoutMs: 60_000);
        }
        finally
        {
            await node.DisposeAsync();
        }

        // The raw log: the corrected time in "timestamp", the client's values exactly as sent in client_time.
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM raw_event WHERE client_time IS NULL"));
        Assert.Equal(1, await db.ScalarAsync($$"""SELECT count(*) FROM raw_event WHERE CAST(client_time AS text) = '{"timestamp":"{{fastTimestamp}}","sent_at":"{{fastSent}}"}'"""));
        Assert.Equal(1, await db.ScalarAsync($$"""SELECT count(*) FROM raw_event WHERE CAST(client_time AS text) = '{"sent_at":"{{fastSent}}","offset":60000}'"""));
        Assert.Equal(1, await db.ScalarAsync("""SELECT count(*) FROM raw_event WHERE CAST(client_time AS text) = '{"timestamp":"9999-12-31T23:59:59Z"}'"""));

        // After a restart the grain answers from its snapshot: the original times are still there.
        await using var again = await NodeProcess.StartGatewayAsync(env);
        using var http2 = again.CreateClient();
        var reread = await ContextReader.GetAsync(http2, user);
        AssertTimes(reread, sentFrom, DateTimeOffset.UtcNow, fastTimestamp);
    }

    private static void AssertTimes(JsonElement context, DateTimeOffset sentFrom, DateTimeOffset sentUntil, string fastTimestamp)
    {
        var byPath = context.GetProperty("recent_events").EnumerateArray().ToDictionary(e => e.GetProperty("page_path").GetString()!);
        DateTimeOffset At(string path) => byPath[path].GetProperty("timestamp").GetDateTimeOffset();
        JsonElement Original(string path) => byPath[path].GetProperty("original_timestamp");
        // Received between sentFrom and sentUntil; each corrected time is "received" minus what the client said.
        bool Near(DateTimeOffset at, TimeSpan before) => at >= sentFrom - before - TimeSpan.FromSeconds(1) && at <= sentUntil - before + TimeSpan.FromSeconds(1);

        Assert.True(Near(At("/skewed"), TimeSpan.FromSeconds(10)), $"skew removed: {At("/skewed"):O} ({context})");
        Assert.Equal(DateTimeOffset.Parse(fastTimestamp, System.Globalization.CultureInfo.InvariantCulture), Original("/skewed").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, Original("/as-sent").ValueKind);
        Assert.True(Near(At("/offset"), TimeSpan.FromMinutes(1)), $"received − offset: {At("/offset"):O}");
        Assert.Equal(JsonValueKind.Null, Original("/offset").ValueKind);
        Assert.True(Near(At("/far-future"), TimeSpan.Zero), $"future replaced by received: {At("/far-future"):O}");
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), Original("/far-future").GetDateTimeOffset());
    }
}
