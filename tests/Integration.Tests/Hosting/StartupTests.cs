using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Hosting;

/// <summary>
/// The gateway process as a user starts it from a directory of their own: options in any order,
/// data under that directory, --reset-data, and one-line start-up errors with exit code 2.
/// </summary>
public sealed class StartupTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("si-startup-").FullName;

    // Single-node default: SQLite under ./data of the working directory, localhost clustering.
    private static Dictionary<string, string?> SingleNode() => new() { ["Grains__FlushDelay"] = "00:00:00.020" };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Urls_is_honoured_before_or_after_demo_and_data_lands_in_the_working_directory(bool urlsFirst)
    {
        var url = $"http://127.0.0.1:{NodeProcess.FreePort()}";
        string[] args = urlsFirst ? ["--urls", url, "--demo"] : ["--demo", "--urls", url];

        await using var node = await NodeProcess.StartGatewayAsync(SingleNode(), args, _directory);

        Assert.Equal(new Uri(url), node.BaseAddress);
        await node.WaitForLogAsync("Session Insights serves " + url, TimeSpan.FromSeconds(60));
        var database = Path.Combine(_directory, "data", "session-insights.db");
        Assert.Contains("data in " + database, node.Log);
        Assert.True(File.Exists(database), $"no database at {database}");
        await node.WaitForLogAsync("Demo: ", TimeSpan.FromSeconds(60)); // --demo was read as a flag, not as --urls' key
    }

    [Fact]
    public async Task The_root_lists_the_endpoints_for_curl_and_sends_browsers_to_the_docs()
    {
        await using var node = await NodeProcess.StartGatewayAsync(SingleNode(), ["--urls", "http://127.0.0.1:0"], _directory);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = node.BaseAddress };

        var text = await http.GetAsync("/");
        Assert.Equal("text/plain", text.Content.Headers.ContentType?.MediaType);
        var body = await text.Content.ReadAsStringAsync();
        foreach (var line in new[] { "GET /session/context/{user_id}", "GET /session/{session_id}", "POST /batch", "POST /ingest", "GET /events/failed", "GET /health", "GET /ingestion-warnings", "POST /rules/backtest" })
        {
            Assert.Contains("\n" + line + " ", body);
        }
        Assert.DoesNotContain("/dashboard/index", body);

        using var browser = new HttpRequestMessage(HttpMethod.Get, "/");
        browser.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        var redirect = await http.SendAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/docs", redirect.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Reset_data_starts_empty_and_without_it_the_data_stays()
    {
        var user = "startup-user-" + Guid.NewGuid().ToString("N")[..8];
        await using (var first = await NodeProcess.StartGatewayAsync(SingleNode(), ["--urls", "http://127.0.0.1:0"], _directory))
        {
            using var http = first.CreateClient();
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/ingest", Envelope(Pageview(user, "s-1", DateTimeOffset.UtcNow, "/pricing")))).StatusCode);
            await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) >= 1, timeoutMs: 60_000);
            await first.TerminateAsync(TimeSpan.FromSeconds(60));
        }

        await using (var kept = await NodeProcess.StartGatewayAsync(SingleNode(), ["--urls", "http://127.0.0.1:0"], _directory))
        {
            using var http = kept.CreateClient();
            Assert.Equal(1, ContextReader.EventCount(await ContextReader.GetAsync(http, user)));
            await kept.TerminateAsync(TimeSpan.FromSeconds(60));
        }

        await using var reset = await NodeProcess.StartGatewayAsync(SingleNode(), ["--reset-data", "--urls", "http://127.0.0.1:0"], _directory);
        Assert.Contains("deleted " + Path.Combine(_directory, "data", "session-insights.db"), reset.Log);
        using var after = reset.CreateClient();
        Assert.Equal(0, ContextReader.EventCount(await ContextReader.GetAsync(after, user)));
    }

    [Fact]
    public async Task A_busy_port_is_one_line_naming_it_and_exit_code_2()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";

        var (exitCode, output, stderr) = await RunToExitAsync(["--demo", "--urls", url], SingleNode());

        Assert.Equal(2, exitCode);
        Assert.Equal($"session-insights: {url} is already in use: choose another with --urls (e.g. --urls http://127.0.0.1:5078)", stderr.Trim());
        Assert.DoesNotContain("   at ", output); // no stack trace
        Assert.False(File.Exists(Path.Combine(_directory, "data", "session-insights.db")), "nothing should start on a busy port");
    }

    [Fact]
    public async Task An_unknown_option_is_an_error_with_the_usage()
    {
        var (exitCode, _, stderr) = await RunToExitAsync(["--demo", "--port", "5077"], SingleNode());

        Assert.Equal(2, exitCode);
        var lines = stderr.Trim().Split('\n');
        Assert.Equal("session-insights: unknown option '--port'", lines[0]);
        Assert.StartsWith("usage: ", lines[1]);
    }

    [Fact]
    public async Task Unreachable_postgres_is_one_line_naming_the_setting()
    {
        var env = SingleNode();
        env["ConnectionStrings__Postgres"] = $"Host=127.0.0.1;Port={NodeProcess.FreePort()};Username=nobody;Password=x;Database=none;Timeout=5";

        var (exitCode, output, stderr) = await RunToExitAsync(["--urls", "http://127.0.0.1:0"], env);

        Assert.Equal(1, exitCode);
        Assert.Matches(@"^session-insights: PostgreSQL is not usable \(.+\): check ConnectionStrings__Postgres$", stderr.Trim());
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task A_silo_that_cannot_reach_postgres_says_so_in_one_line()
    {
        var env = SingleNode();
        env["ConnectionStrings__Postgres"] = $"Host=127.0.0.1;Port={NodeProcess.FreePort()};Username=nobody;Password=x;Database=none;Timeout=5";

        var (exitCode, output, stderr) = await RunToExitAsync([], env, "SessionInsights.Silo");

        Assert.Equal(1, exitCode);
        Assert.Matches(@"^session-insights-silo: PostgreSQL is not usable \(.+\): check ConnectionStrings__Postgres$", stderr.Trim());
        Assert.DoesNotContain("   at ", output);
    }

    private Task<(int ExitCode, string Output, string Errors)> RunToExitAsync(string[] args, Dictionary<string, string?> env, string app = "SessionInsights.Gateway") =>
        NodeProcess.RunToExitAsync(app, args, env, TimeSpan.FromSeconds(120), _directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
