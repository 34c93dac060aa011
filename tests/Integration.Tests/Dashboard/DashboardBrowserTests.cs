using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using SessionInsights.Integration.Tests.Sdk;
using Xunit.Abstractions;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Dashboard;

/// <summary>
/// The dashboard against a real two-silo cluster (two Silo processes and a gateway that hosts no
/// grains) under traffic: its API sees both silos and their grains, a FAILED event can be retried,
/// /metrics is Prometheus text, and headless Chromium shows the page and a user, saving a screenshot
/// (dashboard.png in the test output folder; docs/dashboard.png is one of these).
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const int Users = 30;

    [Fact]
    public async Task Dashboard_shows_both_silos_their_grains_moving_traffic_and_a_user()
    {
        var sdk = Path.Combine(CommandRunner.RepoRoot, "tests", "sdk");
        await CommandRunner.RunAsync(sdk, TimeSpan.FromMinutes(10), "bash", "install-browser.sh");

        await using var db = await StorageBackend.CreateAsync("postgres");
        var seedPort = FreePort();
        Dictionary<string, string?> Node(int port, bool gateway)
        {
            var env = db.NodeEnvironment();
            env["Cluster__Port"] = port.ToString();
            env["Cluster__Seeds"] = $"akka.tcp://session-insights@127.0.0.1:{seedPort}";
            if (gateway)
            {
                env["Gateway__HostsSilo"] = "false";
            }
            return env;
        }
        await using var silo1 = await NodeProcess.StartSiloAsync(Node(seedPort, gateway: false));
        await using var silo2 = await NodeProcess.StartSiloAsync(Node(FreePort(), gateway: false));
        await using var gateway = await NodeProcess.StartGatewayAsync(Node(FreePort(), gateway: true));
        using var http = gateway.CreateClient();

        using var stop = new CancellationTokenSource();
        var traffic = Enumerable.Range(0, 3).Select(w => Task.Run(() => SendAsync(http, w, stop.Token))).Append(Task.Run(() => ReadAsync(http, stop.Token))).ToArray();
        try
        {
            await ContextReader.WaitForAsync(http, "dash-user-1", c => ContextReader.EventCount(c) >= 3, timeoutMs: 30000);
            await CheckApiAsync(http, db);

            var screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
            File.Delete(screenshot);
            var seen = await CommandRunner.RunAsync(sdk, TimeSpan.FromMinutes(2), "node", "browse-dashboard.mjs",
                gateway.BaseAddress!.ToString().TrimEnd('/'), "dash-user-1", screenshot);
            output.WriteLine(seen);
            Assert.Contains("\"ok\":true", seen, StringComparison.Ordinal);
            Assert.True(new FileInfo(screenshot).Length > 10_000, "screenshot missing or empty");
            output.WriteLine($"screenshot: {screenshot}");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(traffic);
        }
    }

    private static async Task CheckApiAsync(HttpClient http, StorageBackend db)
    {
        // Both silos answer with grains; the gateway answers with none.
        static int UserEntities(JsonElement o) => o.GetProperty("nodes").EnumerateArray()
            .Sum(n => n.GetProperty("shards").TryGetProperty("user", out var u) ? u.GetProperty("entities").GetInt32() : 0);
        var overview = await WaitForAsync(http, "/dashboard/api/overview", o => UserEntities(o) == Users && o.GetProperty("nodes").EnumerateArray()
            .Count(n => n.GetProperty("answered").GetBoolean() && n.GetProperty("active_users").GetInt64() > 0) == 2);
        var nodes = overview.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(3, nodes.Count);
        Assert.All(nodes, n => Assert.Equal("up", n.GetProperty("status").GetString()));
        var gatewayNode = Assert.Single(nodes, n => !n.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "silo"));
        Assert.Equal(0, gatewayNode.GetProperty("active_users").GetInt64());
        Assert.Equal(Users, nodes.Sum(n => n.GetProperty("active_users").GetInt64()));

        // Ingest counters live on the gateway, applied counters on the silos: both show in the rates.
        await WaitForAsync(http, "/dashboard/api/overview", o =>
            o.GetProperty("traffic").GetProperty("ingested_per_second").GetDouble() > 0
            && o.GetProperty("traffic").GetProperty("processed_per_second").GetDouble() > 0
            && o.GetProperty("methods").EnumerateArray().Any(m => m.GetProperty("message").GetString() == "DeliverEvents" && m.GetProperty("calls_per_second").GetDouble() > 0));

        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("# TYPE si_ingest_accepted_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("si_grain_method_duration_ms_bucket{", metrics, StringComparison.Ordinal);

        // A FAILED event (made so by hand: the shop traffic has none) is listed and can be retried.
        var seqs = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            seqs.Add(await db.ScalarAsync("UPDATE raw_event SET status = 'FAILED', failure_reason = 'ArgumentException: made to fail by the test' " +
                $"WHERE seq = (SELECT min(seq) FROM raw_event WHERE status = 'DONE' AND distinct_id = 'dash-user-{i}') RETURNING seq"));
        }
        var failed = await http.GetFromJsonAsync<JsonElement>("/dashboard/api/failed");
        Assert.Equal(seqs.Order().Reverse(), failed.EnumerateArray().Select(f => f.GetProperty("seq").GetInt64()));
        var retried = Assert.Single(failed.EnumerateArray(), f => f.GetProperty("seq").GetInt64() == seqs[0]);
        var uuid = retried.GetProperty("uuid").GetString();
        var retry = await http.PostAsync($"/dashboard/api/failed/{uuid}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync($"/dashboard/api/failed/{uuid}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/dashboard/api/failed/not-a-uuid/retry", null)).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE seq = {seqs[0]} AND status = 'DONE'") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the retried event was not applied again");
            await Task.Delay(200);
        }
        Assert.Single((await http.GetFromJsonAsync<JsonElement>("/dashboard/api/failed")).EnumerateArray());

        var user = await http.GetFromJsonAsync<JsonElement>("/dashboard/api/user/dash-user-3");
        Assert.True(user.GetProperty("context").GetProperty("recent_events").GetArrayLength() > 0);
        Assert.True(user.GetProperty("latest_session").GetProperty("session").GetProperty("event_count").GetInt32() > 0);
        var logs = await http.GetFromJsonAsync<JsonElement>("/dashboard/api/logs");
        Assert.Empty(logs.GetProperty("nodes_missing").EnumerateArray());
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient http, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var json = await http.GetFromJsonAsync<JsonElement>(path);
            if (done(json))
            {
                return json;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{path} never satisfied the check; last answer:\n{json}");
            await Task.Delay(500);
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
                await http.PostAsJsonAsync("/ingest", Envelope(evt), ct);
                await Task.Delay(15, ct);
            }
            catch (OperationCanceledException)
            {
                return;
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
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
