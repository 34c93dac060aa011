using SessionInsights.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SessionInsights.Integration.Tests.Cluster;

/// <summary>
/// Three silo processes and a gateway with no grains, under a steady stream from several users:
/// silos crash (SIGKILL), leave (SIGTERM) and come back, and no acknowledged event may be lost,
/// doubled or left out of a context read for long.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloFailureTests(ITestOutputHelper output)
{
    private const int Users = 8;
    private static readonly TimeSpan SendEvery = TimeSpan.FromMilliseconds(80);

    // Bounds generous for a loaded 2-core machine (the measured figures are printed; docs/scaling.md),
    // yet each still proves its mechanism. Failover: Orleans' default failure detection alone (three
    // missed 5 s probes) would take 15 s; the tuned membership brings the grains back well within it.
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(15);

    // Stale reads: without the storage fallback a read of a dead silo's grain hangs for the client's
    // ResponseTimeout (10 s) and then fails; the fallback answers after 2 s with every acknowledged event.
    private static readonly TimeSpan StaleBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Sigkill_of_one_silo_and_sigterm_restart_of_another_lose_nothing()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        await using var cluster = await SiloCluster.StartAsync(db, silos: 3);
        await using var workload = new ClusterWorkload(cluster.Gateway, Users, SendEvery);
        await workload.WaitForAcknowledgedAsync(Users * 40, TimeSpan.FromSeconds(60));

        // The first silo is the oldest; its grains (a third of them) must reactivate on the survivors.
        var killedAt = workload.Now;
        await cluster.KillSiloAsync(0);
        // Keep streaming until every user's grain has answered fresh reads again, then a while longer.
        await workload.WaitForGrainReadsAsync(killedAt, times: 5, TimeSpan.FromSeconds(90));
        var servedAgainAt = workload.Now;
        await workload.WaitForAcknowledgedAsync(workload.Acknowledged + Users * 40, TimeSpan.FromSeconds(60));

        var terminatedAt = workload.Now;
        await cluster.StopSiloAsync(1);
        var leftAfter = workload.Now - terminatedAt;
        await cluster.StartSiloAsync(1);
        var rejoinedAt = workload.Now;
        await workload.WaitForAcknowledgedAsync(workload.Acknowledged + Users * 40, TimeSpan.FromSeconds(60));
        await workload.StopAsync();
        var end = workload.Now;

        var afterKill = workload.StorageReadsBetween(killedAt, terminatedAt);
        var afterTerm = workload.StorageReadsBetween(terminatedAt, end);
        output.WriteLine($"{workload.Acknowledged} events acknowledged from {workload.Users.Count} users in {Users} streams, {workload.ReadCount} context reads");
        output.WriteLine($"SIGKILL of silo 1 (oldest): grains served again after {afterKill.LastAt - killedAt:F1} s; {afterKill.Count} reads rendered from storage meanwhile");
        output.WriteLine($"SIGTERM of silo 2: left the cluster in {leftAfter:F1} s, rejoined {rejoinedAt - terminatedAt:F1} s after the signal; {afterTerm.Count} reads rendered from storage");
        output.WriteLine($"longest time any user's context read failed or missed an acknowledged event: {workload.LongestStaleOrFailed.TotalSeconds:F2} s ({workload.LongestStaleOrFailedWhere}; SIGKILL at {killedAt:F1} s, SIGTERM at {terminatedAt:F1} s)");
        output.WriteLine($"slowest context read: {workload.SlowestRead.TotalSeconds:F2} s; failed reads: {workload.ReadFailures}; failed ingests: {workload.IngestFailures.Count}");

        var (worst, from, to) = workload.LongestStaleUser;
        if (worst is not null)
        {
            output.WriteLine($"reads of {worst} around its longest stale time:\n{workload.Timeline(worst, from - 1, to + 1)}");
        }
        Assert.Empty(workload.IngestFailures);
        StreamsKeptGoing(workload, "SIGKILL until the grains served again", killedAt, servedAgainAt);
        StreamsKeptGoing(workload, "SIGTERM until the silo rejoined", terminatedAt, rejoinedAt);
        using var http = cluster.Gateway.CreateClient();
        await StreamAssert.EveryAckedEventExactlyOnceAsync(http, workload);
        await StreamAssert.SessionViewsCompleteAsync(http, workload);
        await StreamAssert.StorageRowsCompleteAsync(db, workload);
        Assert.Equal(0, workload.ReadFailures);
        Assert.True(workload.LongestStaleOrFailed < StaleBound, $"a context read was stale or failing for {workload.LongestStaleOrFailed}");
        // Measured 2.4 s on a quiet machine with the tuned membership (Akka took 11-15 s).
        Assert.True(afterKill.LastAt - killedAt < FailoverBound.TotalSeconds,
            $"the killed silo's grains should serve from the survivors within {FailoverBound.TotalSeconds} s, took {afterKill.LastAt - killedAt:F1} s");
    }

    [Fact]
    public async Task Rolling_restart_of_every_silo_under_load_fails_no_ingest()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        await using var cluster = await SiloCluster.StartAsync(db, silos: 3);
        await using var workload = new ClusterWorkload(cluster.Gateway, Users, SendEvery);
        await workload.WaitForAcknowledgedAsync(Users * 30, TimeSpan.FromSeconds(60));

        var restarts = new List<(double From, double To)>();
        for (var i = 0; i < 3; i++)
        {
            var signalled = workload.Now;
            await cluster.StopSiloAsync(i);
            var left = workload.Now - signalled;
            await cluster.StartSiloAsync(i);
            restarts.Add((signalled, workload.Now));
            output.WriteLine($"silo {i + 1}: left in {left:F1} s, back up {workload.Now - signalled:F1} s after SIGTERM");
            // Let grains settle on the new silo under traffic before the next one goes (and after the last).
            await workload.WaitForAcknowledgedAsync(workload.Acknowledged + Users * 40, TimeSpan.FromSeconds(60));
        }
        await workload.StopAsync();

        output.WriteLine($"{workload.Acknowledged} events acknowledged from {workload.Users.Count} users in {Users} streams, {workload.ReadCount} context reads, {workload.StorageReadsBetween(0, double.MaxValue).Count} rendered from storage");
        output.WriteLine($"longest stale/failed context: {workload.LongestStaleOrFailed.TotalSeconds:F2} s; slowest read {workload.SlowestRead.TotalSeconds:F2} s");
        Assert.Empty(workload.IngestFailures);
        for (var i = 0; i < restarts.Count; i++)
        {
            StreamsKeptGoing(workload, $"the restart of silo {i + 1}", restarts[i].From, restarts[i].To);
        }
        Assert.Equal(0, workload.ReadFailures);
        using var http = cluster.Gateway.CreateClient();
        await StreamAssert.EveryAckedEventExactlyOnceAsync(http, workload);
        await StreamAssert.SessionViewsCompleteAsync(http, workload);
        await StreamAssert.StorageRowsCompleteAsync(db, workload);
        Assert.True(workload.LongestStaleOrFailed < StaleBound, $"a context read was stale or failing for {workload.LongestStaleOrFailed}");
    }

    /// <summary>Every stream had events acknowledged while the fault was in progress: the test exercised it under load.</summary>
    private void StreamsKeptGoing(ClusterWorkload workload, string fault, double from, double to)
    {
        var perStream = workload.AcknowledgedBetween(from, to);
        output.WriteLine($"acknowledged during {fault} ({from:F1}-{to:F1} s): {perStream.Sum()} events, per stream {string.Join(" ", perStream)}");
        Assert.All(perStream, n => Assert.True(n > 0, $"a stream had no event acknowledged during {fault} ({from:F1}-{to:F1} s): {string.Join(" ", perStream)}"));
    }
}
