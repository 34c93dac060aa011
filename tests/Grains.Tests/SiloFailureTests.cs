using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Tests.Support;
using Xunit.Abstractions;

namespace SessionInsights.Grains.Tests;

/// <summary>A silo dies while a user's events stream in: every acknowledged event survives, once.</summary>
public sealed class SiloFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_grains_silo_mid_stream_loses_and_duplicates_nothing()
    {
        var starting = System.Diagnostics.Stopwatch.StartNew();
        await using var c = await GrainTestCluster.StartAsync();
        output.WriteLine($"cluster started in {starting.Elapsed.TotalSeconds:0.0} s");
        var user = TestEvents.NewUser("kill");
        var events = TestEvents.Stream(user, 240);
        var orphans = TestEvents.Stream(user, 12, from: 240);
        var third = events.Count / 3;
        var acknowledged = new List<Guid>();
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lostDeliveries = 0;
        int Acknowledged()
        {
            lock (acknowledged)
            {
                return acknowledged.Count;
            }
        }

        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < events.Count; i += 3)
            {
                if (i >= third && i < 2 * third)
                {
                    // The first third is committed (a snapshot exists); the second streams while the silo dies.
                    await resume.Task;
                }
                if (i >= 2 * third)
                {
                    // The last third streams right after the kill.
                    await killed.Task;
                }
                var stored = await c.AppendAsync(events[i..Math.Min(i + 3, events.Count)]);
                lock (acknowledged)
                {
                    acknowledged.AddRange(stored.Select(s => s.Event.Uuid));
                }
                try
                {
                    await c.User(user).Deliver(new EventBatch(stored));
                }
                catch (Exception)
                {
                    // As the gateway does: a lost delivery is the sweeper's to repair.
                    Interlocked.Increment(ref lostDeliveries);
                }
            }
        });

        await Wait.UntilAsync(() => Task.FromResult(Acknowledged()), n => n >= third, TimeSpan.FromSeconds(60), n => $"the first third acknowledged ({n})");
        var committedBefore = await c.CommittedAsync(user);
        var host = c.HostOf(user);
        Assert.NotNull(host);
        var victim = c.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        // The second third streams while the silo is being killed.
        var killing = System.Diagnostics.Stopwatch.StartNew();
        var kill = c.Cluster.KillSiloAsync(victim);
        resume.SetResult();
        await kill;
        var killTook = killing.Elapsed;
        var ackedAtKill = Acknowledged();
        killed.SetResult();
        await Wait.ForAsync(producer, TimeSpan.FromSeconds(60), "the producer");
        Assert.Equal(events.Select(e => e.Uuid), acknowledged);

        // No call to the grain from here on (a read would activate it, and activation replays by
        // itself): what the dead activation had not committed is replayed by the survivor's grain,
        // which the sweeper or a later delivery woke.
        var pendingAfterStream = (await c.RawLog.ReadPendingAsync(ProjectIds.Default, user)).Count;
        var recovery = System.Diagnostics.Stopwatch.StartNew();
        await Wait.UntilAsync(() => c.RawLog.ReadPendingAsync(ProjectIds.Default, user), p => p.Count == 0, TimeSpan.FromSeconds(60),
            p => $"{p?.Count} PENDING events to be committed after the kill; logs:{Environment.NewLine}{c.Logs.Tail()}");
        var recovered = recovery.Elapsed;

        // Acknowledged, but their delivery lost: only the sweeper finds these.
        await c.AppendAsync(orphans);
        acknowledged.AddRange(orphans.Select(e => e.Uuid));
        events.AddRange(orphans);
        var swept = System.Diagnostics.Stopwatch.StartNew();
        await Wait.UntilAsync(() => c.RawLog.ReadPendingAsync(ProjectIds.Default, user), p => p.Count == 0, TimeSpan.FromSeconds(60),
            p => $"the sweeper to get {p?.Count} orphaned events committed; logs:{Environment.NewLine}{c.Logs.Tail()}");
        var context = await c.ReadContextAsync(user);
        output.WriteLine($"snapshot v{committedBefore.Version} before the kill; killed {host} in {killTook.TotalSeconds:0.0} s while {ackedAtKill - third} events of the second third were acknowledged; {lostDeliveries} deliveries failed at the client, {pendingAfterStream} events PENDING when the stream ended, committed after {recovered.TotalSeconds:0.0} s; orphans swept after {swept.Elapsed.TotalSeconds:0.0} s");
        context.AssertExactly(acknowledged);
        Assert.NotEqual(host, c.HostOf(user));
        var rows = await c.Store.LoadRecentEventsAsync(ProjectIds.Default, user, 1000, since: null);
        Assert.Equal(Enumerable.Range(1, events.Count), rows.Select(r => r.SequenceNumber).Order());
        Assert.Equal(acknowledged, rows.Select(r => r.RawEventId));

        // The session view lost the dead activation's updates too; it repairs itself from storage.
        await Wait.UntilAsync(() => c.ReadSessionAsync($"s-{user}"), v => v is not null && v.IsComplete(events, rows.ToDictionary(r => r.RawEventId, r => r.SequenceNumber)), TimeSpan.FromSeconds(60),
            v => $"the session view to show all {events.Count} events ({v}; missing {string.Join(", ", events.OrderBy(e => e.Timestamp).TakeLast(200).Select((e, i) => (e, i)).Where(x => v?.RawIds.Contains(x.e.Uuid) != true).Select(x => x.i))}); logs:{Environment.NewLine}{c.Logs.Tail()}");
    }
}
