using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Cluster;

/// <summary>
/// Rules changed through the API reach the grains of every silo while events flow, without a restart:
/// unchanged rules keep their counts, a changed rule starts over at one point of each user's stream,
/// a deleted rule vanishes (docs/patterns-and-sessions.md, "Changing rules").
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RuleReloadTests(ITestOutputHelper output)
{
    private const int Users = 30;

    private static string Rule(string code, string extra = "") =>
        $$"""{"code":"{{code}}","description":"{{code}} test rule","severity":"MEDIUM","filter":{"semantic_contains":"probe"}{{extra}}}""";

    [Fact]
    public async Task A_rule_change_reaches_every_silos_grains_under_traffic_and_each_user_switches_between_two_events()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        await using var cluster = await SiloCluster.StartAsync(db, silos: 3);
        using var http = cluster.Gateway.CreateClient();
        foreach (var code in new[] { "probe_kept", "probe_changed", "probe_deleted" })
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, (await PostRule(http, HttpMethod.Post, "/rules", Rule(code))).StatusCode);
        }

        // Traffic: each user sends clicks one after another until told to stop.
        using var stop = new CancellationTokenSource();
        var sent = new ConcurrentDictionary<string, int>();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        var senders = Enumerable.Range(0, Users).Select(u => Task.Run(async () =>
        {
            var user = $"reload-user-{u}";
            using var client = cluster.Gateway.CreateClient();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var response = await client.PostAsJsonAsync("/ingest", Envelope(Click(user, $"s-{user}", t0.AddSeconds(i), "/shop", $"Probe {i}")));
                Assert.True(response.IsSuccessStatusCode, $"ingest failed: {(int)response.StatusCode}");
                sent.AddOrUpdate(user, 1, (_, n) => n + 1);
                await Task.Delay(40); // pacing the traffic (about 25 events/s per user), not waiting for anything
            }
        })).ToList();
        // Every user's grain is live and has applied events under the old rules before anything changes.
        await Task.WhenAll(Enumerable.Range(0, Users).Select(u => ReadAsync(http, $"reload-user-{u}", (c, _) => c.GetProperty("recent_events").GetArrayLength() >= 5)));

        var changed = await ChangeAndWaitAsync(http, "change", () => PostRule(http, HttpMethod.Put, "/rules/probe_changed", Rule("probe_changed", ",\"min_count\":1,\"time_window_seconds\":3600")));
        var deleted = await ChangeAndWaitAsync(http, "delete", () => http.DeleteAsync("/rules/probe_deleted"));
        // Every user sends a few more events under the final rules before the traffic stops.
        var atDelete = new Dictionary<string, int>(sent);
        await ContextReader.WaitUntilAsync(() => Task.FromResult(atDelete.All(u => sent[u.Key] >= u.Value + 3)), "three more events from every user");
        await stop.CancelAsync();
        await Task.WhenAll(senders);

        for (var s = 0; s < 3; s++)
        {
            Assert.Contains("Pattern rules changed", cluster.Silo(s).Log, StringComparison.Ordinal);
        }
        foreach (var (user, count) in sent)
        {
            var (context, version) = await ReadAsync(http, user, (c, _) => c.GetProperty("recent_events").GetArrayLength() == count, limit: 500);
            Assert.Equal(deleted, version);
            var events = context.GetProperty("recent_events").EnumerateArray()
                .Select(e => (Seq: e.GetProperty("sequence_number").GetInt32(), At: e.GetProperty("timestamp").GetDateTimeOffset())).ToList();
            Assert.Equal(Enumerable.Range(1, count), events.Select(e => e.Seq).Order());
            var patterns = context.GetProperty("patterns").EnumerateArray().ToDictionary(p => p.GetProperty("code").GetString()!, p => p.GetProperty("evidence"));

            Assert.False(patterns.ContainsKey("probe_deleted"), $"{user}: a deleted rule is still reported");
            // Unchanged: it saw every event, before and after both changes.
            Assert.Equal(count, patterns["probe_kept"].GetProperty("count").GetInt32());
            // Changed: it started over between two events, so it saw exactly the events that arrived after
            // some point (a suffix by sequence number), at least one, never all.
            var fresh = patterns["probe_changed"];
            var seen = fresh.GetProperty("count").GetInt32();
            Assert.InRange(seen, 1, count - 1);
            var suffix = events.Where(e => e.Seq > count - seen).ToList();
            Assert.Equal(suffix.Min(e => e.At), fresh.GetProperty("first_seen").GetDateTimeOffset());
            Assert.Equal(suffix.Max(e => e.At), fresh.GetProperty("last_seen").GetDateTimeOffset());
        }
    }

    /// <summary>Makes a change, then reads every user's context until it reports the new version; prints how long that took.</summary>
    private async Task<long> ChangeAndWaitAsync(HttpClient http, string what, Func<Task<HttpResponseMessage>> change)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await change();
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{what} failed {(int)response.StatusCode}: {body}");
        var version = JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt64();
        var answered = Stopwatch.GetElapsedTime(started);
        var latencies = await Task.WhenAll(Enumerable.Range(0, Users).Select(async u =>
        {
            await ReadAsync(http, $"reload-user-{u}", (_, v) => v >= version);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }));
        Array.Sort(latencies);
        output.WriteLine($"{what} (rules version {version}): API answered in {answered.TotalMilliseconds:F0} ms; every user's grain used it after " +
            $"p50 {latencies[Users / 2]:F0} ms, max {latencies[^1]:F0} ms (3 silos, {Users} users sending)");
        // The target is 2 s on a quiet machine (RulesRefreshInterval 500 ms + one call); a loaded CI box gets slack.
        Assert.True(latencies[^1] < 15_000, $"{what} took {latencies[^1]:F0} ms to reach every grain");
        return version;
    }

    /// <summary>Reads a user's context until <paramref name="until"/> holds for it and the rules version it reports.</summary>
    private static async Task<(JsonElement Context, long Version)> ReadAsync(HttpClient http, string user, Func<JsonElement, long, bool> until, int limit = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await http.GetAsync($"/session/context/{user}?recent_events_limit={limit}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"context read failed {(int)response.StatusCode}: {body}");
            var version = long.Parse(response.Headers.GetValues("X-Rules-Version").Single(), System.Globalization.CultureInfo.InvariantCulture);
            var context = JsonDocument.Parse(body).RootElement.Clone();
            if (until(context, version))
            {
                return (context, version);
            }
            Assert.True(DateTime.UtcNow < deadline, $"context of {user} never satisfied the condition; version {version}, last: {body}");
            await Task.Delay(20);
        }
    }

    private static Task<HttpResponseMessage> PostRule(HttpClient http, HttpMethod method, string path, string json) =>
        http.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
}
