using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Tests.Support;

namespace SessionInsights.Grains.Tests;

/// <summary>
/// Snapshots every <c>Grains:SnapshotInterval</c> (docs/storage.md): commits between snapshots
/// write rows only and leave their raw events PENDING; a crash before the snapshot replays them
/// with the numbers storage has.
/// </summary>
public sealed class SnapshotIntervalTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Commits_between_snapshots_keep_the_version_and_the_snapshot_commit_marks_each_event_done_once()
    {
        await using var c = await GrainTestCluster.StartAsync(new Dictionary<string, string?>
        {
            ["Grains:SnapshotInterval"] = "00:00:08",
            ["Grains:StalePendingAfter"] = "00:01:00",
        });
        var user = TestEvents.NewUser("interval");
        var events = TestEvents.Stream(user, 6);
        await c.IngestAsync(user, events[..3]);
        var first = await c.CommittedAsync(user, Deadline);

        await c.IngestAsync(user, events[3..]);
        // Stored as rows, yet PENDING: the snapshot is not due yet.
        await Wait.UntilAsync(() => c.Store.LoadRecentEventsAsync(ProjectIds.Default, user, 100, since: null), r => r.Count == 6, Deadline, r => $"6 enriched rows ({r?.Count})");
        Assert.Equal(events[3..].Select(e => e.Uuid), (await c.RawLog.ReadPendingAsync(ProjectIds.Default, user)).Select(p => p.Event.Uuid));
        Assert.Equal(first.Version, (await c.Store.LoadUserAsync(ProjectIds.Default, user))!.Version);

        var last = await c.CommittedAsync(user, Deadline);
        var written = c.Store.CommitsOf(user).Where(r => !r.Refused).ToList();
        Assert.Contains(written, r => r.Commit.State is null && r.Commit.Enriched.Count > 0);
        Assert.All(written.Where(r => r.Commit.State is null), r => Assert.Empty(r.Commit.Done));
        Assert.Equal(written.Count(r => r.Commit.State is not null), last.Version);
        var doneOnce = written.SelectMany(r => r.Commit.Done).GroupBy(u => u).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(events.Select(e => (e.Uuid, 1)).Order(), doneOnce.Select(p => (p.Key, p.Value)).Order());
    }

    [Fact]
    public async Task A_crash_before_the_snapshot_replays_committed_events_with_their_stored_numbers()
    {
        await using var c = await GrainTestCluster.StartAsync(new Dictionary<string, string?>
        {
            ["Grains:SnapshotInterval"] = "00:00:30",
            ["Grains:StalePendingAfter"] = "00:01:00",
        });
        var user = TestEvents.NewUser("replay");
        var events = TestEvents.Stream(user, 6);
        await c.IngestAsync(user, events[..3]);
        await c.CommittedAsync(user, Deadline);

        // Delivered against log order (several gateways): numbered 4, 5, 6 as e6, e5, e4.
        var stored = await c.AppendAsync(events[3..]);
        for (var i = stored.Count - 1; i >= 0; i--)
        {
            // One-way deliveries may overtake each other: each waits for the one before.
            await c.User(user).Deliver(new EventBatch([stored[i]]));
            var applied = 3 + stored.Count - i;
            await Wait.UntilAsync(() => c.ReadContextAsync(user), v => v.Events.Count == applied, Deadline, v => $"{applied} events applied ({v?.Describe()})");
        }
        var rows = await Wait.UntilAsync(() => c.Store.LoadRecentEventsAsync(ProjectIds.Default, user, 100, since: null), r => r.Count == 6, Deadline, r => $"6 enriched rows ({r?.Count})");
        var numbers = rows.ToDictionary(r => r.RawEventId, r => r.SequenceNumber);
        Assert.Equal([6, 5, 4], events[3..].Select(e => numbers[e.Uuid]));
        Assert.Equal(3, (await c.RawLog.ReadPendingAsync(ProjectIds.Default, user)).Count);

        // The activation dies without its final commit: the next one replays the three PENDING events.
        var host = c.HostOf(user);
        Assert.NotNull(host);
        await c.Cluster.KillSiloAsync(c.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        var context = await Wait.UntilAsync(() => c.ReadContextAsync(user), v => v.Events.Count == 6, Deadline, v => $"6 events after the kill ({v?.Describe()}); logs:{Environment.NewLine}{c.Logs.Tail()}");
        Assert.Equal(6, context.LastSessionEventCount);
        await c.CommittedAsync(user, Deadline);

        // A new event follows at 7; storage and the session view agree on every number.
        var next = TestEvents.Stream(user, 1, from: 6);
        await c.IngestAsync(user, next);
        await c.CommittedAsync(user, Deadline);
        var all = events.Concat(next).ToList();
        var after = await c.Store.LoadRecentEventsAsync(ProjectIds.Default, user, 100, since: null);
        Assert.Equal(Enumerable.Range(1, 7), after.Select(r => r.SequenceNumber).Order());
        var committed = after.ToDictionary(r => r.RawEventId, r => r.SequenceNumber);
        Assert.Equal(7, committed[next[0].Uuid]);
        Assert.Equal(7, (await c.Store.LoadSessionAsync(ProjectIds.Default, $"s-{user}"))?.EventCount);
        await Wait.UntilAsync(() => c.ReadSessionAsync($"s-{user}"), v => v is not null && v.IsComplete(all, committed), Deadline,
            v => $"the session view to number events as storage does ({v}); logs:{Environment.NewLine}{c.Logs.Tail()}");
    }
}
