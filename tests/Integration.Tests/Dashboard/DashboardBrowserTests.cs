using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using SessionInsights.Integration.Tests.Sdk;
using Xunit.Abstractions;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Dashboard;

/// <summary>
/// Both operator pages against a real cluster (two Silo processes and a gateway that is only an
/// Orleans client) under traffic: Orleans' dashboard at /dashboard sees both silos; the insights
/// page at /insights and its JSON see every node with its grains, moving rates, pattern firings,
/// every node's log lines, a user's context, the dead-letter badge, and retry a dead letter; /metrics carries this
/// service's meters and Orleans'. Headless Chromium saves insights.png and dashboard.png in the
/// test output folder (docs/insights.png and docs/dashboard.png are such screenshots).
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const int Users = 30;
    private const int Silos = 2;
    // Every check polls until it holds; generous for a loaded 2-core machine running five processes here.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Orleans_dashboard_and_insights_page_show_the_cluster_under_traffic()
    {
        var sdk = Path.Combine(CommandRunner.RepoRoot, "tests", "sdk");
        await CommandRunner.RunAsync(sdk, TimeSpan.FromMinutes(10), "bash", "install-browser.sh");

        await using var db = await StorageBackend.CreateAsync("postgres");
        await using var cluster = await SiloCluster.StartAsync(db, Silos);
        using var http = cluster.Gateway.CreateClient();

        using var stop = new CancellationTokenSource();
        var traffic = Enumerable.Range(0, 3).Select(w => Task.Run(() => SendAsync(http, w, stop.Token))).Append(Task.Run(() => ReadAsync(http, stop.Token))).ToArray();
        try
        {
            await ContextReader.WaitForAsync(http, "dash-user-1", c => ContextReader.EventCount(c) >= 3, timeoutMs: 60000);
            await CheckOrleansDashboardAsync(http);
            await CheckInsightsApiAsync(http);
            await CheckMetricsAsync(http);
            var (retried, kept) = await MakeFailedEventsAsync(http, db);

            var insightsShot = Path.Combine(AppContext.BaseDirectory, "insights.png");
            var dashboardShot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
            File.Delete(insightsShot);
            File.Delete(dashboardShot);
            var seen = await CommandRunner.RunAsync(sdk, TimeSpan.FromMinutes(8), "node", "browse-dashboard.mjs",
                cluster.Gateway.BaseAddress!.ToString().TrimEnd('/'), Silos.ToString(), "dash-user-1", retried.Uuid, insightsShot, dashboardShot);
            output.WriteLine(seen);
            Assert.Contains("\"ok\":true", seen, StringComparison.Ordinal);
            Assert.Contains("\"deadLetterBadge\":\"2 dead letters\"", seen, StringComparison.Ordinal);
            Assert.Contains("\"deadLetterBadgeAfter\":\"1 dead letter\"", seen, StringComparison.Ordinal);
            Assert.True(new FileInfo(insightsShot).Length > 10_000, "insights screenshot missing or empty");
            Assert.True(new FileInfo(dashboardShot).Length > 10_000, "dashboard screenshot missing or empty");
            output.WriteLine($"screenshots: {insightsShot}, {dashboardShot}");

            // The browser's Retry made the event PENDING; its user grain applied it again.
            await UntilAsync(async () => await db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE seq = {retried.Seq} AND status = 'DONE'") == 1,
                "the retried event was not applied again");
            var failed = await http.GetFromJsonAsync<JsonElement>("/insights/api/failed");
            Assert.Equal([kept.Seq], failed.EnumerateArray().Select(f => f.GetProperty("seq").GetInt64()));
            Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync($"/insights/api/failed/{retried.Uuid}/retry", null)).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/insights/api/failed/not-a-uuid/retry", null)).StatusCode);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(traffic);
        }
    }

    /// <summary>Orleans' dashboard JSON lists both silos as active hosts (a client-mode gateway is no host).</summary>
    private static async Task CheckOrleansDashboardAsync(HttpClient http)
    {
        var counters = await WaitForAsync(http, "/dashboard/DashboardCounters", c => c.GetProperty("hosts").EnumerateArray()
            .Count(h => h.GetProperty("status").GetString() == "Active") == Silos);
        Assert.Equal(Silos, counters.GetProperty("hosts").GetArrayLength());
    }

    private static async Task CheckInsightsApiAsync(HttpClient http)
    {
        // Both silos report their grains; the gateway (an Orleans client) reports none of its own.
        static IEnumerable<JsonElement> Nodes(JsonElement o) => o.GetProperty("nodes").EnumerateArray();
        static bool IsSilo(JsonElement n) => n.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "silo");
        var overview = await WaitForAsync(http, "/insights/api/overview", o =>
            Nodes(o).Count() == Silos + 1
            && Nodes(o).All(n => n.GetProperty("status").GetString() == "up")
            && Nodes(o).Count(n => IsSilo(n) && n.GetProperty("active_users").GetInt64() > 0) == Silos
            && Nodes(o).Sum(n => n.GetProperty("active_users").GetInt64()) == Users);
        var gateway = Assert.Single(Nodes(overview), n => !IsSilo(n));
        Assert.Equal(["gateway"], gateway.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(0, gateway.GetProperty("active_users").GetInt64());
        Assert.All(Nodes(overview), n => Assert.True(n.GetProperty("uptime_seconds").GetDouble() > 0 && n.GetProperty("working_set_bytes").GetInt64() > 0));

        // Ingest counters live on the gateway, applied counters on the silos: both show in the rates,
        // and the history (one sample a second) moves.
        static JsonElement Traffic(JsonElement o) => o.GetProperty("traffic");
        await WaitForAsync(http, "/insights/api/overview", o =>
            Traffic(o).GetProperty("ingested_per_second").GetDouble() > 0
            && Traffic(o).GetProperty("processed_per_second").GetDouble() > 0
            && Traffic(o).GetProperty("context_reads_per_second").GetDouble() > 0
            && Traffic(o).GetProperty("context_p99_ms").GetDouble() > 0
            && o.GetProperty("history").EnumerateArray().Select(s => s.GetProperty("processed_per_second").GetDouble()).Where(v => v > 0).Distinct().Count() >= 3);

        var patterns = await WaitForAsync(http, "/insights/api/patterns", p => p.GetProperty("rules").EnumerateArray().Any(r => r.GetProperty("count").GetInt32() > 0));
        var fired = patterns.GetProperty("rules").EnumerateArray().First(r => r.GetProperty("count").GetInt32() > 0);
        Assert.StartsWith("dash-user-", fired.GetProperty("users")[0].GetString(), StringComparison.Ordinal);

        var nodes = Nodes(overview).Select(n => n.GetProperty("address").GetString()).ToHashSet();
        await WaitForAsync(http, "/insights/api/logs", l => nodes.SetEquals(l.GetProperty("lines").EnumerateArray().Select(x => x.GetProperty("node").GetString())));

        var user = await http.GetFromJsonAsync<JsonElement>("/insights/api/user/dash-user-3");
        Assert.True(user.GetProperty("context").GetProperty("recent_events").GetArrayLength() > 0);
        Assert.True(user.GetProperty("latest_session").GetProperty("session").GetProperty("event_count").GetInt32() > 0);
    }

    /// <summary>/metrics is OpenTelemetry's Prometheus text: this service's meters and Orleans' own.</summary>
    private static async Task CheckMetricsAsync(HttpClient http)
    {
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("# TYPE si_ingest_accepted_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("si_context_read_ms_bucket{", metrics, StringComparison.Ordinal);
        // Buckets below the SDK's default first one (5 ms), and ASP.NET Core's whole-request timing.
        Assert.Matches("si_context_read_ms_bucket\\{[^}]*le=\"0.5\"\\}", metrics);
        Assert.Contains("http_server_request_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^# TYPE orleans_\w+ ", metrics);
    }

    /// <summary>Two dead letters (made so by hand: the shop traffic has none), listed newest first.</summary>
    private static async Task<(FailedRow Retried, FailedRow Kept)> MakeFailedEventsAsync(HttpClient http, StorageBackend db)
    {
        // DONE comes with a user's next snapshot commit (Grains:SnapshotInterval): wait for one per user.
        await UntilAsync(async () => await db.ScalarAsync("SELECT count(DISTINCT distinct_id) FROM raw_event WHERE status = 'DONE' AND distinct_id IN ('dash-user-0', 'dash-user-1')") == 2,
            "no DONE event of dash-user-0 and dash-user-1");
        var seqs = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            seqs.Add(await db.ScalarAsync("UPDATE raw_event_log SET failure_reason = 'ArgumentException: made to fail by the test', processed_at = now() " +
                $"WHERE seq = (SELECT min(seq) FROM raw_event WHERE status = 'DONE' AND distinct_id = 'dash-user-{i}') RETURNING seq"));
        }
        var failed = await http.GetFromJsonAsync<JsonElement>("/insights/api/failed");
        Assert.Equal(seqs.Order().Reverse(), failed.EnumerateArray().Select(f => f.GetProperty("seq").GetInt64()));
        var rows = failed.EnumerateArray().Select(f => new FailedRow(f.GetProperty("seq").GetInt64(), f.GetProperty("uuid").GetString()!)).ToList();
        return (rows.Single(r => r.Seq == seqs[0]), rows.Single(r => r.Seq == seqs[1]));
    }

    private sealed record FailedRow(long Seq, string Uuid);

    private static Task<JsonElement> WaitForAsync(HttpClient http, string path, Func<JsonElement, bool> done) =>
        ContextReader.GetJsonUntilAsync(http, path, done, (int)Deadline.TotalMilliseconds);

    private static Task UntilAsync(Func<Task<bool>> done, string failure) => UntilAsync(done, () => failure);

    private static async Task UntilAsync(Func<Task<bool>> done, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, failure());
            await Task.Delay(250);
        }
    }

    /// <summary>Shoppers browsing, adding to cart and rage-clicking prices, so patterns fire too.</summary>
    private static async Task SendAsync(HttpClient http, int worker, CancellationToken ct)
    {
        var rng = new Random(worker);
        for (var i = worker; !ct.IsCancellationRequested; i += 3)
        {
            var user = $"dash-user-{i % Users}";
            var session = $"dash-s-{i % Users}";
            var now = DateTimeOffset.UtcNow;
            var evt = (i / Users % 4) switch
            {
                0 => Pageview(user, session, now, rng.Next(2) == 0 ? "/products" : "/pricing"),
                1 => Click(user, session, now, "/products", "Add to Cart"),
                2 => Rage(user, session, now, "/pricing", "$49 / month"),
                _ => Click(user, session, now, "/pricing", "Upgrade to Pro"),
            };
            try
            {
                using var _ = await http.PostAsJsonAsync("/ingest", Envelope(evt), ct);
                await Task.Delay(15, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // A request slower than the client's timeout on a loaded machine: the traffic goes on.
            }
        }
    }

    private static async Task ReadAsync(HttpClient http, CancellationToken ct)
    {
        for (var i = 0; !ct.IsCancellationRequested; i++)
        {
            try
            {
                using var _ = await http.GetAsync($"/session/context/dash-user-{i % Users}", ct);
                await Task.Delay(50, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // As above: the reads go on.
            }
        }
    }
}
