using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Tests.Support;

namespace SessionInsights.Grains.Tests;

/// <summary>The user grain's recovery and persistence guarantees on a two-silo cluster.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class UserGrainTests(SharedClusterFixture fixture)
{
    // Generous for a loaded 2-core machine: waits poll and return as soon as the condition holds.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly GrainTestCluster _c = fixture.Cluster;

    [Fact]
    public async Task Activation_rebuilds_from_snapshot_plus_pending_events()
    {
        var user = TestEvents.NewUser("snap");
        var committed = TestEvents.Stream(user, 5);
        await _c.IngestAsync(user, committed);
        var snapshot = await _c.CommittedAsync(user);
        Assert.True(snapshot.Version >= 1);

        await _c.Cluster.DeactivateAsync(_c.User(user));
        Assert.False(_c.IsActive(user));

        // Acknowledged but never delivered: only the raw log knows them.
        var pending = TestEvents.Stream(user, 3, from: 5);
        await _c.AppendAsync(pending);
        Assert.Equal(3, (await _c.RawLog.ReadPendingAsync(ProjectIds.Default, user)).Count);

        var context = await _c.ReadContextAsync(user);
        context.AssertExactly([.. committed.Concat(pending).Select(e => e.Uuid)]);
        Assert.Equal(8, context.LastSessionEventCount);

        // The new activation commits the replayed events after the snapshot it loaded.
        var after = await _c.CommittedAsync(user);
        Assert.True(after.Version > snapshot.Version);
        var rows = await _c.Store.LoadRecentEventsAsync(ProjectIds.Default, user, 100, since: null);
        Assert.Equal(Enumerable.Range(1, 8), rows.Select(r => r.SequenceNumber).Order());
        Assert.Equal(committed.Concat(pending).Select(e => e.Uuid), rows.Select(r => r.RawEventId));
    }

    [Fact]
    public async Task An_event_delivered_and_replayed_is_applied_once()
    {
        var user = TestEvents.NewUser("dup");
        var events = TestEvents.Stream(user, 7);
        var grain = _c.User(user);

        // Replayed first (the sweeper found them PENDING; the activation replays them too), their
        // live delivery arriving afterwards.
        var replayedFirst = await _c.AppendAsync(events[..2]);
        await grain.RecoverPending();
        await grain.RecoverPending();
        await Wait.UntilAsync(() => _c.ReadContextAsync(user), c => c.Events.Count >= 2, Deadline, c => $"the replay of 2 events ({c?.Describe()})");
        await grain.Deliver(new EventBatch(replayedFirst));

        // Delivered live, then a recovery while they are still uncommitted (or being committed).
        var liveFirst = await _c.AppendAsync(events[2..4]);
        await grain.Deliver(new EventBatch(liveFirst));
        await grain.RecoverPending();

        // A recovery racing the live delivery of the same events.
        var raced = await _c.AppendAsync(events[4..6]);
        await grain.RecoverPending();
        await grain.Deliver(new EventBatch(raced));

        // The raw log refuses a uuid twice, so the gateway never delivers it again.
        var again = await _c.RawLog.AppendAsync([events[0], events[3], events[5]]);
        Assert.All(again, r => Assert.False(r.Inserted));
        await _c.CommittedAsync(user);

        // Replayed by one activation, its live delivery reaching the next one: the snapshot carries
        // the replayed uuid across.
        var crossing = await _c.AppendAsync(events[6..]);
        await grain.RecoverPending();
        await Wait.UntilAsync(() => _c.ReadContextAsync(user), c => c.Events.Count >= 7, Deadline, c => $"the replay of the 7th event ({c?.Describe()})");
        await _c.CommittedAsync(user);
        await _c.Cluster.DeactivateAsync(grain);
        await grain.Deliver(new EventBatch(crossing));
        await grain.RecoverPending();

        var context = await _c.ReadContextAsync(user);
        context.AssertExactly([.. events.Select(e => e.Uuid)]);
        Assert.Equal(7, context.LastSessionEventCount);
        await _c.CommittedAsync(user);
        var rows = await _c.Store.LoadRecentEventsAsync(ProjectIds.Default, user, 100, since: null);
        Assert.Equal(events.Select(e => e.Uuid), rows.Select(r => r.RawEventId));
        Assert.Equal(Enumerable.Range(1, 7), rows.Select(r => r.SequenceNumber).Order());
        var session = await _c.Store.LoadSessionAsync(ProjectIds.Default, $"s-{user}");
        Assert.Equal(7, session?.EventCount);
        await Wait.UntilAsync(() => _c.ReadSessionAsync($"s-{user}"), v => v is not null && v.IsComplete(events, rows.ToDictionary(r => r.RawEventId, r => r.SequenceNumber)), Deadline, v => $"the session view to show 7 events once ({v})");
    }

    [Fact]
    public async Task A_commit_at_a_stale_version_is_refused_whole_and_its_activation_stops()
    {
        var user = TestEvents.NewUser("stale");
        var first = TestEvents.Stream(user, 3);
        await _c.IngestAsync(user, first);
        var loaded = await _c.CommittedAsync(user);

        // Another writer commits behind the live activation's back: the stored version moves on.
        Assert.Empty(await _c.UnrecordedStore.CommitAsync([new(ProjectIds.Default, user, loaded.Version, loaded.State, [], [], [], [])]));
        var bumped = loaded.Version + 1;
        var deactivated = _c.Cluster.WaitForDeactivationAsync(_c.User(user));
        Assert.True(_c.IsActive(user));

        // Delivered against log order (one-way deliveries may overtake each other): the stale
        // activation numbers them 5, 4 and tells the session grain so; a replay numbers them 4, 5.
        var second = TestEvents.Stream(user, 2, from: 3);
        var stored = await _c.AppendAsync(second);
        await _c.User(user).Deliver(new EventBatch([stored[1]]));
        await Wait.UntilAsync(() => _c.ReadContextAsync(user), c => c.Events.Count == 4, Deadline, c => $"the 5th event applied ({c?.Describe()})");
        await _c.User(user).Deliver(new EventBatch([stored[0]]));
        await Wait.ForAsync(deactivated, Deadline, $"the stale activation of {user} to deactivate; logs:{Environment.NewLine}{_c.Logs.Tail()}");

        // Exactly one commit from the stale activation, refused, and storage untouched by it.
        var stale = _c.Store.CommitsOf(user).Where(c => c.Commit.ExpectedVersion == loaded.Version).ToList();
        var refused = Assert.Single(stale);
        Assert.True(refused.Refused);
        // With or without a snapshot (Grains:SnapshotInterval), the version check refuses it.
        Assert.Equal(second.Select(e => e.Uuid).Reverse(), refused.Commit.Enriched.Select(e => e.RawEventId));
        var held = refused.After!;
        Assert.Equal(bumped, held.Snapshot!.Version);
        Assert.Equal(loaded.State, held.Snapshot.State);
        Assert.Equal(first.Select(e => e.Uuid), held.Rows.Select(r => r.RawEventId));
        Assert.Equal(second.Select(e => e.Uuid), held.Pending.Select(p => p.Event.Uuid));
        Assert.Equal(5, Assert.Single(refused.Commit.Sessions).EventCount);
        Assert.Equal(3, Assert.Single(held.Sessions)?.EventCount);

        // A fresh activation rebuilds from the stored snapshot and the PENDING events.
        var context = await _c.ReadContextAsync(user);
        context.AssertExactly([.. first.Concat(second).Select(e => e.Uuid)]);
        var after = await _c.CommittedAsync(user);
        Assert.Equal(bumped + 1, after.Version);
        var rows = await _c.Store.LoadRecentEventsAsync(ProjectIds.Default, user, 100, since: null);
        Assert.Equal(Enumerable.Range(1, 5), rows.Select(r => r.SequenceNumber));

        // The session view drops the refused activation's numbering for the committed one.
        var committed = rows.ToDictionary(r => r.RawEventId, r => r.SequenceNumber);
        await Wait.UntilAsync(() => _c.ReadSessionAsync($"s-{user}"),
            v => v is not null && v.EventCount == 5 && v.RawIds.Count == 5 && v.RawIds.Zip(v.Seqs).All(p => committed[p.First] == p.Second),
            Deadline, v => $"the session view to number events as storage does (view: {(v is null ? "none" : string.Join(", ", v.RawIds.Zip(v.Seqs).Select(p => $"{committed.GetValueOrDefault(p.First)}->{p.Second}")))})");
    }

    [Fact]
    public async Task Context_after_reactivation_is_byte_identical()
    {
        var user = TestEvents.NewUser("bytes");
        var events = TestEvents.Stream(user, 25);
        await _c.IngestAsync(user, events[..15]);
        await _c.CommittedAsync(user);
        // The rest stays uncommitted in memory until deactivation commits it.
        await _c.IngestAsync(user, events[15..]);
        var small = GrainTestCluster.RecentEventsCapacity - 2;
        var beforeSmall = await Wait.UntilAsync(() => _c.ReadContextAsync(user, small), c => c.LastSessionEventCount == 25, Deadline, c => $"all 25 events applied ({c?.LastSessionEventCount})");
        var beforeLarge = await _c.ReadContextAsync(user, 100);
        beforeLarge.AssertExactly([.. events.Select(e => e.Uuid)]);
        var beforeLookback = await _c.ReadContextAsync(user, 100, lookbackHours: 1);
        Assert.True(_c.Cluster.TryGetGrainContext(_c.User(user).GetGrainId(), out var first));

        await _c.Cluster.DeactivateAsync(_c.User(user));
        Assert.Empty(await _c.RawLog.ReadPendingAsync(ProjectIds.Default, user));

        var afterSmall = await _c.ReadContextAsync(user, small);
        var afterLarge = await _c.ReadContextAsync(user, 100);
        var afterLookback = await _c.ReadContextAsync(user, 100, lookbackHours: 1);
        Assert.True(_c.Cluster.TryGetGrainContext(_c.User(user).GetGrainId(), out var second));
        Assert.NotEqual(first.ActivationId, second.ActivationId);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(beforeSmall.Json), System.Text.Encoding.UTF8.GetString(afterSmall.Json));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(beforeLarge.Json), System.Text.Encoding.UTF8.GetString(afterLarge.Json));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(beforeLookback.Json), System.Text.Encoding.UTF8.GetString(afterLookback.Json));
    }

    [Fact]
    public async Task Large_context_reads_racing_a_stream_are_always_consistent()
    {
        var user = TestEvents.NewUser("race");
        var events = TestEvents.Stream(user, 400);
        var limit = 1000;
        Assert.True(limit > GrainTestCluster.RecentEventsCapacity);
        using var streaming = new CancellationTokenSource();
        var reads = 0;
        var midStreamReads = 0;
        var producer = Task.Run(async () =>
        {
            try
            {
                var batches = events.Chunk(4).ToList();
                for (var i = 0; i < batches.Count; i++)
                {
                    await _c.IngestAsync(user, batches[i]);
                    if (i == batches.Count / 2)
                    {
                        // Past the memory capacity: make sure merged reads run while the stream goes on.
                        var seen = Volatile.Read(ref midStreamReads);
                        await Wait.UntilAsync(() => Task.FromResult(Volatile.Read(ref midStreamReads)), n => n >= seen + 8, Deadline, n => $"reads during the stream ({n})");
                    }
                }
            }
            finally
            {
                streaming.Cancel();
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var seen = 0;
            while (!streaming.IsCancellationRequested)
            {
                var context = await _c.ReadContextAsync(user, limit);
                context.AssertWellFormed();
                // One consistent snapshot: the session summary counts exactly the events listed.
                Assert.True(context.LastSessionEventCount is null ? context.Events.Count == 0 : context.LastSessionEventCount == context.Events.Count,
                    $"last_session.event_count {context.LastSessionEventCount} but {context.Events.Count} recent events");
                // Every event applied is in memory or storage: a later read never shows fewer.
                Assert.True(context.Events.Count >= seen, $"a read went back from {seen} to {context.Events.Count} events");
                seen = context.Events.Count;
                Interlocked.Increment(ref reads);
                if (seen > GrainTestCluster.RecentEventsCapacity && seen < events.Count)
                {
                    Interlocked.Increment(ref midStreamReads);
                }
            }
        })).ToList();
        // A reader's failure first: it is why the producer would wait in vain.
        await Wait.ForAsync(Task.WhenAll([.. readers, producer]), TimeSpan.FromSeconds(60), "the producer and the readers");
        Assert.True(midStreamReads >= 8, $"{midStreamReads} of {reads} reads merged storage and memory during the stream");

        var final = await Wait.UntilAsync(() => _c.ReadContextAsync(user, limit), c => c.Events.Count >= events.Count, Deadline, c => $"all {events.Count} events ({c?.Describe()})");
        final.AssertExactly([.. events.Select(e => e.Uuid)]);
    }
}
