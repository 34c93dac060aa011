using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Cluster;

/// <summary>
/// <c>scripts/local-cluster.sh</c> as a user runs it: PostgreSQL (the script's own, holding data
/// and Orleans membership), two silos and two gateways (Orleans clients) from nothing, an event in
/// through one gateway and out through the other, a silo killed, all stopped.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LocalClusterScriptTests
{
    [Fact]
    public async Task Script_runs_silos_and_several_gateways_and_stops_them_all()
    {
        var dir = Directory.CreateTempSubdirectory("local-cluster-test-").FullName;
        // Six free ports in a row: two gateways' HTTP, two silo ports, two Orleans client ports.
        var httpBase = TestPorts.Range(6);
        var siloBase = httpBase + 2;
        var clientBase = httpBase + 4;
        try
        {
            var started = await ScriptAsync(dir, "start", "--silos", "2", "--gateways", "2", "--gateway-port", httpBase.ToString(), "--silo-port", siloBase.ToString(), "--orleans-gateway-port", clientBase.ToString(), "--no-build");
            Assert.Contains($"silo 2: 127.0.0.1:{siloBase + 1}, Orleans clients 127.0.0.1:{clientBase + 1}", started);
            Assert.Contains($"gateway 2: http://127.0.0.1:{httpBase + 1}", started);
            var pids = Directory.GetFiles(dir, "*.pid").Where(f => !f.EndsWith("postgres.pid", StringComparison.Ordinal)).Select(f => int.Parse(File.ReadAllText(f).Trim())).ToList();
            Assert.Equal(4, pids.Count);

            using var first = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpBase}") };
            using var second = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpBase + 1}") };
            var t0 = DateTimeOffset.UtcNow.AddMinutes(-1);
            Assert.Equal(HttpStatusCode.Accepted, (await first.PostAsJsonAsync("/ingest", Envelope(Pageview("script-user", "s-1", t0, "/pricing")))).StatusCode);
            var context = await ContextReader.WaitForAsync(second, "script-user", c => ContextReader.EventCount(c) == 1, timeoutMs: 60000);
            Assert.Equal(["Viewed pricing page"], ContextReader.Labels(context));

            var status = await ScriptAsync(dir, "status");
            // Both silos active (Orleans status 3) in the membership table, each with its client port.
            Assert.Matches($@"127\.0\.0\.1:{siloBase} gen \d+ status 3 client port {clientBase} ", status);
            Assert.Matches($@"127\.0\.0\.1:{siloBase + 1} gen \d+ status 3 client port {clientBase + 1} ", status);

            await ScriptAsync(dir, "kill-silo", "2");
            Assert.Contains("silo-2: stopped", await ScriptAsync(dir, "status"));
            Assert.Equal(["Viewed pricing page"], ContextReader.Labels(await ContextReader.GetAsync(first, "script-user")));

            await ScriptAsync(dir, "stop", "--purge");
            Assert.All(pids, pid => Assert.False(IsRunning(pid), $"process {pid} still runs after stop"));
            Assert.False(Directory.Exists(dir));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                await ScriptAsync(dir, "stop", "--purge");
            }
        }
    }

    private static Task<string> ScriptAsync(string dir, params string[] args) =>
        CommandRunner.RunAsync(CommandRunner.RepoRoot, TimeSpan.FromMinutes(3), "env",
            [$"LOCAL_CLUSTER_DIR={dir}", $"LOCAL_CLUSTER_CONFIGURATION={Configuration}", "bash", "scripts/local-cluster.sh", .. args]);

    /// <summary>The test's own build configuration (bin/Release/net10.0 → Release): the script runs the apps built beside it.</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
