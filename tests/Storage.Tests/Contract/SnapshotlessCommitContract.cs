using System.Text;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Tests.Contract;

/// <summary>Commits without a snapshot (Grains:SnapshotInterval, docs/storage.md): checked like the others, the version kept.</summary>
public abstract partial class StorageContractTests
{
    [Fact]
    public async Task A_commit_without_a_snapshot_at_the_stored_version_writes_its_rows_and_leaves_version_snapshot_and_pending()
    {
        var user = TestData.NewUser();
        var events = TestData.Events(user, 3, sessionId: "s-" + user);
        await Log.AppendAsync(events);
        Assert.Empty(await State.CommitAsync([TestData.Commit(user, 0, state: "v1")]));
        var session = TestData.Session("s-" + user, user, eventCount: 2);

        var stale = await State.CommitAsync([TestData.RowsOnly(user, 1, [TestData.Enriched(events[0], 1), TestData.Enriched(events[1], 2)], [session],
            failed: [new RawFailure(events[2].Uuid, "boom")])]);

        Assert.Empty(stale);
        var snapshot = await State.LoadUserAsync(ProjectIds.Default, user);
        Assert.Equal(1, snapshot!.Version);
        Assert.Equal("v1", Encoding.UTF8.GetString(snapshot.State));
        Assert.Equal(2, (await State.LoadRecentEventsAsync(ProjectIds.Default, user, 10, null)).Count);
        AssertSameSession(session, await State.LoadSessionAsync(ProjectIds.Default, session.SessionId));
        // Applied and stored, yet PENDING until a snapshot covers them; the failure is written at once.
        var pending = await Log.ReadPendingAsync(ProjectIds.Default, user);
        Assert.Equal([events[0].Uuid, events[1].Uuid], pending.Select(p => p.Event.Uuid));
        Assert.Single(await Log.ReadFailedAsync(null, 10), f => f.Uuid == events[2].Uuid);
    }

    [Fact]
    public async Task A_commit_without_a_snapshot_at_a_stale_version_is_refused_whole()
    {
        var user = TestData.NewUser();
        var events = TestData.Events(user, 1, sessionId: "s-" + user);
        await Log.AppendAsync(events);
        Assert.Empty(await State.CommitAsync([TestData.Commit(user, 0), TestData.Commit(user, 1)]));

        var stale = await State.CommitAsync([TestData.RowsOnly(user, 1, [TestData.Enriched(events[0], 1)], [TestData.Session("s-" + user, user)])]);

        Assert.Equal([user], stale.Ids());
        Assert.Equal(2, (await State.LoadUserAsync(ProjectIds.Default, user))!.Version);
        Assert.Empty(await State.LoadRecentEventsAsync(ProjectIds.Default, user, 10, null));
        Assert.Null(await State.LoadSessionAsync(ProjectIds.Default, "s-" + user));
    }

    [Fact]
    public async Task A_commit_without_a_snapshot_for_a_user_without_one_is_refused()
    {
        var user = TestData.NewUser();

        Assert.Equal([user], (await State.CommitAsync([TestData.RowsOnly(user, 0)])).Ids());

        Assert.Null(await State.LoadUserAsync(ProjectIds.Default, user));
    }

    [Fact]
    public async Task Commits_of_one_user_in_one_call_without_then_with_a_snapshot_apply_in_order()
    {
        var user = TestData.NewUser();
        var events = TestData.Events(user, 3);
        await Log.AppendAsync(events);
        Assert.Empty(await State.CommitAsync([TestData.Commit(user, 0, state: "v1")]));

        var stale = await State.CommitAsync(
        [
            TestData.RowsOnly(user, 1, [TestData.Enriched(events[0], 1)]),
            TestData.RowsOnly(user, 1, [TestData.Enriched(events[1], 2)]),
            TestData.Commit(user, 1, [TestData.Enriched(events[2], 3)], done: [events[0].Uuid, events[1].Uuid, events[2].Uuid], state: "v2"),
            TestData.RowsOnly(user, 1),
        ]);

        // The last expects the version the snapshot commit just left behind.
        Assert.Equal([user], stale.Ids());
        var snapshot = await State.LoadUserAsync(ProjectIds.Default, user);
        Assert.Equal(2, snapshot!.Version);
        Assert.Equal("v2", Encoding.UTF8.GetString(snapshot.State));
        Assert.Equal(3, (await State.LoadRecentEventsAsync(ProjectIds.Default, user, 10, null)).Count);
        Assert.Empty(await Log.ReadPendingAsync(ProjectIds.Default, user));
    }

    [Fact]
    public async Task Pending_reads_return_the_stored_session_and_number_of_events_committed_without_a_snapshot()
    {
        var user = TestData.NewUser();
        var events = TestData.Events(user, 3, sessionId: "s-" + user);
        await Log.AppendAsync(events);
        Assert.Empty(await State.CommitAsync([TestData.Commit(user, 0)]));
        var sessionless = TestData.Enriched(events[1], 0) with { SessionId = null };
        Assert.Empty(await State.CommitAsync([TestData.RowsOnly(user, 1, [TestData.Enriched(events[0], 7), sessionless])]));

        var pending = await Log.ReadPendingAsync(ProjectIds.Default, user);
        var activation = await State.LoadUserActivationAsync(ProjectIds.Default, user, 10);

        foreach (var read in new[] { pending, activation.Pending })
        {
            Assert.Equal([events[0].Uuid, events[1].Uuid, events[2].Uuid], read.Select(p => p.Event.Uuid));
            Assert.Equal([new CommittedRow("s-" + user, 7), new CommittedRow(null, 0), (CommittedRow?)null], read.Select(p => p.Committed));
        }
    }
}
