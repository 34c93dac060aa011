using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Security;

/// <summary>
/// Issue 14 part 7 with a real gateway and PostgreSQL: raw and enriched events older than
/// <c>Retention__EventDays</c> are deleted in the background; younger ones, session aggregates and
/// snapshots stay.
/// </summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task Events_older_than_the_retention_go_and_young_ones_sessions_and_snapshots_stay()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        var env = db.NodeEnvironment();
        env["Retention__EventDays"] = "30";
        env["Retention__Interval"] = "00:00:01";
        env["Retention__BatchSize"] = "3";
        env["Grains__FlushDelay"] = "00:00:00.050";
        await using var node = await NodeProcess.StartGatewayAsync(env);
        using var http = node.CreateClient();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var old = new JsonArray([.. Enumerable.Range(0, 7).Select(i => (JsonNode)Pageview("old-user", "s-old", at.AddSeconds(i), $"/old-{i}"))]);
        var young = new JsonArray(Pageview("young-user", "s-young", at, "/pricing"));
        foreach (var batch in new[] { old, young })
        {
            var body = new JsonObject { ["api_key"] = "phc_retention", ["batch"] = batch };
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/batch", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode);
        }
        await ContextReader.WaitUntilAsync(async () => await db.ScalarAsync("SELECT count(*) FROM enriched_event") == 8 && await db.ScalarAsync("SELECT count(*) FROM raw_event_pending") == 0,
            "all 8 events applied and committed");

        // The old user's events were received 40 days ago (as far as storage knows).
        await db.ScalarAsync("WITH aged AS (UPDATE raw_event_log SET received_at = now() - interval '40 days' WHERE distinct_id = 'old-user' RETURNING 1) SELECT count(*) FROM aged");

        await ContextReader.WaitUntilAsync(async () => await db.ScalarAsync("SELECT count(*) FROM raw_event_log WHERE distinct_id = 'old-user'") == 0,
            "the old events deleted");
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM enriched_event WHERE user_id = 'old-user'"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM raw_event_log WHERE distinct_id = 'young-user'"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM enriched_event WHERE user_id = 'young-user'"));
        Assert.Equal(7, await db.ScalarAsync("SELECT event_count FROM session WHERE session_id = 's-old'"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM grain_state WHERE user_id = 'old-user'"));
        await node.WaitForLogAsync("Retention: deleted 7 raw and 7 enriched events older than 30 days", TimeSpan.FromSeconds(30));
    }
}
