using System.Text;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Tests.Contract;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task A_commit_writes_snapshot_enriched_events_session_and_statuses_together()
    {
        var user = TestData.NewUser();
        var events = TestData.Events(user, 3, sessionId: "s-" + user);
        await Log.AppendAsync(events);
        var enriched = events.Select((e, i) => TestData.Enriched(e, i + 1)).ToList();
        var session = TestData.Session("s-" + user, user, eventCount: 3);

        var stale = await State.CommitAsync([TestData.Commit(user, 0, enriched, [session],
            done: [events[0].Uuid, events[1].Uuid], failed: [new RawFailure(events[2].Uuid, "enricher threw: boom")], state: "v1")]);

        Assert.Empty(stale);
        var snapshot = await State.LoadUserAsync(ProjectIds.Default, user);
        Assert.NotNull(snapshot);
        Assert.Equal(1, snapshot.Version);
        Assert.Equal("v1", Encoding.UTF8.GetString(snapshot.State));
        Assert.Empty(await Log.ReadPendingAsync(ProjectIds.Default, user));
        Assert.Equal(new RawEventCounts(0, 2, 1), await Log.CountAsync());
        AssertSameSession(session, await State.LoadSessionAsync(ProjectIds.Default, session.SessionId));
        AssertSameEvents(enriched, await State.LoadSessionEventsAsync(ProjectIds.Default, session.SessionId, 100));
    }

    [Fact]
    public async Task A_stale_commit_is_skipped_whole_while_the_others_in_the_call_are_written()
    {
        var staleUser = TestData.NewUser();
        var freshUser = TestData.NewUser();
        var staleEvents = TestData.Events(staleUser, 2, sessionId: "s-" + staleUser);
        var freshEvents = TestData.Events(freshUser, 2, sessionId: "s-" + freshUser);
        await Log.AppendAsync([.. staleEvents, .. freshEvents]);
        Assert.Empty(await State.CommitAsync([TestData.Commit(staleUser, 0, state: "winner")]));

        var stale = await State.CommitAsync(
        [
            TestData.Commit(staleUser, 0, [TestData.Enriched(staleEvents[0], 1)], [TestData.Session("s-" + staleUser, staleUser)],
                done: [staleEvents[0].Uuid], failed: [new RawFailure(staleEvents[1].Uuid, "x")], state: "loser"),
            TestData.Commit(freshUser, 0, [TestData.Enriched(freshEvents[0], 1)], [TestData.Session("s-" + freshUser, freshUser)],
                done: [freshEvents[0].Uuid], state: "fresh"),
        ]);

        Assert.Equal([staleUser], stale.Ids());
        var kept = await State.LoadUserAsync(ProjectIds.Default, staleUser);
        Assert.Equal(1, kept!.Version);
        Assert.Equal("winner", Encoding.UTF8.GetString(kept.State));
        Assert.Equal(2, (await Log.ReadPendingAsync(ProjectIds.Default, staleUser)).Count);
        Assert.Empty(await State.LoadRecentEventsAsync(ProjectIds.Default, staleUser, 10, null));
        Assert.Null(await State.LoadSessionAsync(ProjectIds.Default, "s-" + staleUser));

        Assert.Equal(1, (await State.LoadUserAsync(ProjectIds.Default, freshUser))!.Version);
        Assert.Single(await Log.ReadPendingAsync(ProjectIds.Default, freshUser));
        Assert.Single(await State.LoadRecentEventsAsync(ProjectIds.Default, freshUser, 10, null));
        Assert.NotNull(await State.LoadSessionAsync(ProjectIds.Default, "s-" + freshUser));
        Assert.Empty(await Log.ReadFailedAsync(null, 10));
    }

    [Fact]
    public async Task A_commit_expecting_a_version_for_an_unknown_user_is_stale_and_leaves_no_snapshot()
    {
        var user = TestData.NewUser();

        Assert.Equal([user], (await State.CommitAsync([TestData.Commit(user, 3)])).Ids());

        Assert.Null(await State.LoadUserAsync(ProjectIds.Default, user));
        Assert.Empty(await State.CommitAsync([TestData.Commit(user, 0)]));
        Assert.Equal(1, (await State.LoadUserAsync(ProjectIds.Default, user))!.Version);
    }

    [Fact]
    public async Task Consecutive_commits_of_one_user_in_one_call_both_apply()
    {
        var user = TestData.NewUser();
        var events = TestData.Events(user, 2);
        await Log.AppendAsync(events);

        var stale = await State.CommitAsync(
        [
            TestData.Commit(user, 0, [TestData.Enriched(events[0], 1)], done: [events[0].Uuid], state: "first"),
            TestData.Commit(user, 1, [TestData.Enriched(events[1], 2)], done: [events[1].Uuid], state: "second"),
            TestData.Commit(user, 1, state: "replayed by a stale incarnation"),
        ]);

        Assert.Equal([user], stale.Ids());
        var snapshot = await State.LoadUserAsync(ProjectIds.Default, user);
        Assert.Equal(2, snapshot!.Version);
        Assert.Equal("second", Encoding.UTF8.GetString(snapshot.State));
        Assert.Equal(2, (await State.LoadRecentEventsAsync(ProjectIds.Default, user, 10, null)).Count);
        Assert.Empty(await Log.ReadPendingAsync(ProjectIds.Default, user));
    }

    [Fact]
    public async Task Concurrent_commits_at_the_same_version_let_exactly_one_win()
    {
        var user = TestData.NewUser();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => State.CommitAsync([TestData.Commit(user, 0, state: $"incarnation {i}")]))));

        Assert.Equal(1, results.Count(r => r.Count == 0));
        Assert.Equal(1, (await State.LoadUserAsync(ProjectIds.Default, user))!.Version);
    }

    [Fact]
    public async Task Enriched_events_are_inserted_once_however_often_they_are_committed()
    {
        var user = TestData.NewUser();
        var events = TestData.Events(user, 3);
        await Log.AppendAsync(events);
        var enriched = events.Select((e, i) => TestData.Enriched(e, i + 1)).ToList();

        await State.CommitAsync([TestData.Commit(user, 0, enriched)]);
        // A replay after a crash re-enriches: same raw events, new enriched ids, possibly new labels.
        var replayed = enriched.Select(e => e with { EnrichedEventId = Guid.NewGuid(), SemanticLabel = "changed" }).ToList();
        Assert.Empty(await State.CommitAsync([TestData.Commit(user, 1, [.. enriched, .. replayed])]));

        AssertSameEvents(enriched, await State.LoadRecentEventsAsync(ProjectIds.Default, user, 10, null));
    }

    [Fact]
    public async Task A_large_commit_round_trips_every_enriched_event()
    {
        var users = Enumerable.Range(0, 4).Select(_ => TestData.NewUser()).ToArray();
        var perUser = (StorageFactory.DefaultPostgresCopyThreshold / users.Length) + 50;
        var commits = new List<UserCommit>();
        var expected = new Dictionary<string, List<EnrichedEvent>>();
        foreach (var user in users)
        {
            var events = TestData.Events(user, perUser, sessionId: "s-" + user);
            await Log.AppendAsync(events);
            expected[user] = [.. events.Select((e, i) => TestData.Enriched(e, i + 1))];
            commits.Add(TestData.Commit(user, 0, expected[user], [TestData.Session("s-" + user, user, perUser)], done: [.. events.Select(e => e.Uuid)]));
        }

        Assert.Empty(await State.CommitAsync(commits));
        Assert.Empty(await State.CommitAsync([.. commits.Select(c => c with { ExpectedVersion = 1 })]));

        Assert.Equal(new RawEventCounts(0, perUser * users.Length, 0), await Log.CountAsync());
        foreach (var user in users)
        {
            AssertSameEvents(expected[user], await State.LoadSessionEventsAsync(ProjectIds.Default, "s-" + user, perUser));
        }
    }

    [Fact]
    public async Task Sessions_are_upserted_whole()
    {
        var user = TestData.NewUser();
        var sessionId = "s-" + user;
        var opened = TestData.Session(sessionId, user, eventCount: 1);
        await State.CommitAsync([TestData.Commit(user, 0, sessions: [opened])]);
        AssertSameSession(opened, await State.LoadSessionAsync(ProjectIds.Default, sessionId));

        var closed = opened with
        {
            LastActivityAt = DateTimeOffset.Parse("2025-12-09T11:00:00.1234567+01:00"),
            EndedAt = DateTimeOffset.Parse("2025-12-09T11:30:00.9999999Z"),
            EventCount = 7,
            PageViewsCount = 4,
            ClicksCount = 3,
            LastPage = "/thanks",
            Summary = "Viewed 4 pages including billing page. Clicked 3 times.",
            IsActive = false,
            PatternsJson = "[]",
        };
        await State.CommitAsync([TestData.Commit(user, 1, sessions: [closed])]);

        var stored = await State.LoadSessionAsync(ProjectIds.Default, sessionId);
        AssertSameSession(closed with
        {
            LastActivityAt = StoragePrecision.Truncate(closed.LastActivityAt),
            EndedAt = StoragePrecision.Truncate(closed.EndedAt!.Value),
        }, stored);
        Assert.Null(await State.LoadSessionAsync(ProjectIds.Default, "no-such-session"));
    }

    [Fact]
    public async Task Idle_close_ends_only_open_sessions_whose_last_activity_is_before_the_cutoff()
    {
        var user = TestData.NewUser();
        var old = TestData.Session("s-old-" + user, user, eventCount: 1);
        var recent = TestData.Session("s-recent-" + user, user, eventCount: 10);
        await State.CommitAsync([TestData.Commit(user, 0, sessions: [old, recent])]);

        var closed = await State.CloseIdleSessionsAsync(old.LastActivityAt.AddSeconds(1));

        Assert.True(closed >= 1);
        var oldRow = await State.LoadSessionAsync(ProjectIds.Default, old.SessionId);
        Assert.False(oldRow!.IsActive);
        Assert.Equal(StoragePrecision.Truncate(old.LastActivityAt), oldRow.EndedAt);
        var recentRow = await State.LoadSessionAsync(ProjectIds.Default, recent.SessionId);
        Assert.True(recentRow!.IsActive);
        Assert.Null(recentRow.EndedAt);
    }

    [Fact]
    public async Task Done_and_failed_events_leave_the_pending_set_and_failures_read_newest_first()
    {
        var user = TestData.NewUser();
        var events = TestData.Events(user, 4);
        var seqs = (await Log.AppendAsync(events)).Select(r => r.Seq).ToArray();

        await State.CommitAsync([TestData.Commit(user, 0, done: [events[0].Uuid], failed: [new RawFailure(events[1].Uuid, "first failure")])]);
        await State.CommitAsync([TestData.Commit(user, 1, failed: [new RawFailure(events[2].Uuid, "second failure")])]);

        Assert.Equal([events[3].Uuid], (await Log.ReadPendingAsync(ProjectIds.Default, user)).Select(p => p.Event.Uuid));
        Assert.Equal(new RawEventCounts(1, 1, 2), await Log.CountAsync());
        var failed = await Log.ReadFailedAsync(null, 10);
        Assert.Equal([seqs[2], seqs[1]], failed.Select(f => f.Seq));
        Assert.Equal(events[2].Uuid, failed[0].Uuid);
        Assert.Equal(user, failed[0].DistinctId);
        Assert.Equal(events[2].Event, failed[0].EventName);
        Assert.Equal("second failure", failed[0].Reason);
        Assert.InRange(failed[0].ReceivedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Single(await Log.ReadFailedAsync(null, 1));

        // A failure stays until it is retried (a grain only re-applies pending events); retried and
        // then applied, the event is DONE.
        Assert.Equal(new UserRef(ProjectIds.Default, user), await Log.RetryFailedAsync(events[1].Uuid));
        Assert.Equal(new RawEventCounts(2, 1, 1), await Log.CountAsync());
        await State.CommitAsync([TestData.Commit(user, 2, done: [events[1].Uuid])]);
        Assert.Equal(new RawEventCounts(1, 2, 1), await Log.CountAsync());
    }

    [Fact]
    public async Task An_activation_reads_the_snapshot_pending_and_latest_events_as_the_single_reads_do()
    {
        var user = TestData.NewUser();
        var unknown = await State.LoadUserActivationAsync(ProjectIds.Default, user, 10);
        Assert.Null(unknown.Snapshot);
        Assert.Empty(unknown.Pending);
        Assert.Empty(unknown.Recent);

        var events = TestData.Events(user, 4);
        await Log.AppendAsync(events);
        var fresh = await State.LoadUserActivationAsync(ProjectIds.Default, user, 10);
        Assert.Null(fresh.Snapshot);
        Assert.Equal(events.Select(e => e.Uuid), fresh.Pending.Select(p => p.Event.Uuid));
        Assert.Empty(fresh.Recent);

        var enriched = events.Take(3).Select((e, i) => TestData.Enriched(e, i + 1, timestamp: TestData.BaseTime.AddSeconds(i))).ToList();
        await State.CommitAsync([TestData.Commit(user, 0, enriched: enriched, done: [.. events.Take(3).Select(e => e.Uuid)], state: "s1")]);

        var loaded = await State.LoadUserActivationAsync(ProjectIds.Default, user, 2);
        Assert.Equal(1, loaded.Snapshot!.Version);
        Assert.Equal("s1", System.Text.Encoding.UTF8.GetString(loaded.Snapshot.State));
        Assert.Equal([events[3].Uuid], loaded.Pending.Select(p => p.Event.Uuid));
        Assert.Equal((await Log.ReadPendingAsync(ProjectIds.Default, user)).Select(p => p.Seq), loaded.Pending.Select(p => p.Seq));
        Assert.Equal((await State.LoadRecentEventsAsync(ProjectIds.Default, user, 2, since: null)).Select(e => e.RawEventId), loaded.Recent.Select(e => e.RawEventId));
        Assert.Equal([events[1].Uuid, events[2].Uuid], loaded.Recent.Select(e => e.RawEventId));
    }

    [Fact]
    public async Task Retrying_a_failed_event_makes_it_pending_again_once()
    {
        var user = TestData.NewUser();
        var events = TestData.Events(user, 2);
        await Log.AppendAsync(events);
        await State.CommitAsync([TestData.Commit(user, 0, done: [events[0].Uuid], failed: [new RawFailure(events[1].Uuid, "bad")])]);

        Assert.Null(await Log.RetryFailedAsync(events[0].Uuid));
        Assert.Null(await Log.RetryFailedAsync(Guid.NewGuid()));
        Assert.Equal(new UserRef(ProjectIds.Default, user), await Log.RetryFailedAsync(events[1].Uuid));

        Assert.Equal([events[1].Uuid], (await Log.ReadPendingAsync(ProjectIds.Default, user)).Select(p => p.Event.Uuid));
        Assert.Empty(await Log.ReadFailedAsync(null, 10));
        Assert.Equal(new RawEventCounts(1, 1, 0), await Log.CountAsync());
        Assert.Null(await Log.RetryFailedAsync(events[1].Uuid));
    }

    [Fact]
    public async Task Recent_events_are_the_latest_by_timestamp_then_sequence_number_returned_oldest_first()
    {
        var user = TestData.NewUser();
        var t = TestData.BaseTime;
        var events = TestData.Events(user, 6);
        // Out of arrival order on purpose, with a timestamp tie broken by sequence number, across two sessions.
        var enriched = new List<EnrichedEvent>
        {
            TestData.Enriched(events[0], 1, "s-a", t.AddSeconds(10)),
            TestData.Enriched(events[1], 2, "s-a", t.AddSeconds(30)),
            TestData.Enriched(events[2], 3, "s-a", t.AddSeconds(20)),
            TestData.Enriched(events[3], 4, "s-a", t.AddSeconds(30)),
            TestData.Enriched(events[4], 1, "s-b", t.AddSeconds(40).AddTicks(7)),
            TestData.Enriched(events[5], 2, "s-b", t.AddSeconds(5)),
        };
        await State.CommitAsync([TestData.Commit(user, 0, enriched)]);
        await State.CommitAsync([TestData.Commit(TestData.NewUser(), 0, [TestData.Enriched(TestData.Event("someone-else"), 1)])]);

        AssertSameEvents([enriched[5], enriched[0], enriched[2], enriched[1], enriched[3], enriched[4]],
            await State.LoadRecentEventsAsync(ProjectIds.Default, user, 100, null));
        AssertSameEvents([enriched[1], enriched[3], enriched[4]], await State.LoadRecentEventsAsync(ProjectIds.Default, user, 3, null));
        AssertSameEvents([enriched[2], enriched[1], enriched[3], enriched[4]], await State.LoadRecentEventsAsync(ProjectIds.Default, user, 100, t.AddSeconds(20)));
        AssertSameEvents([enriched[3], enriched[4]], await State.LoadRecentEventsAsync(ProjectIds.Default, user, 2, t.AddSeconds(20)));
        Assert.Empty(await State.LoadRecentEventsAsync(ProjectIds.Default, user, 100, t.AddHours(1)));
        Assert.Empty(await State.LoadRecentEventsAsync(ProjectIds.Default, "unknown-user", 100, null));
        AssertSameEvents([enriched[5], enriched[4]], await State.LoadSessionEventsAsync(ProjectIds.Default, "s-b", 10));
        AssertSameEvents([enriched[1], enriched[3]], await State.LoadSessionEventsAsync(ProjectIds.Default, "s-a", 2));
    }

    [Fact]
    public async Task Users_with_stale_pending_events_are_found_oldest_first()
    {
        var older = TestData.NewUser();
        var newer = TestData.NewUser();
        var done = TestData.NewUser();
        var doneEvent = TestData.Event(done);
        await Log.AppendAsync([TestData.Event(older), doneEvent]);
        await Task.Delay(50);
        await Log.AppendAsync([TestData.Event(newer)]);
        await State.CommitAsync([TestData.Commit(done, 0, done: [doneEvent.Uuid])]);
        await Task.Delay(400);

        Assert.Equal([older, newer], (await Log.FindUsersWithStalePendingAsync(TimeSpan.FromMilliseconds(200), 10)).Ids());
        Assert.Equal([older], (await Log.FindUsersWithStalePendingAsync(TimeSpan.FromMilliseconds(200), 1)).Ids());
        Assert.Empty(await Log.FindUsersWithStalePendingAsync(TimeSpan.FromMinutes(10), 10));
    }

    [Fact]
    public async Task A_user_without_a_snapshot_loads_as_null()
    {
        Assert.Null(await State.LoadUserAsync(ProjectIds.Default, TestData.NewUser()));
    }

    /// <summary>Patterns compare as JSON: PostgreSQL's jsonb normalizes their whitespace.</summary>
    private static void AssertSameSession(SessionRecord expected, SessionRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { PatternsJson = actual.PatternsJson }, actual);
        Assert.True(
            System.Text.Json.JsonElement.DeepEquals(TestData.Json(expected.PatternsJson), TestData.Json(actual.PatternsJson)),
            $"patterns differ: {actual.PatternsJson}");
    }

    private static void AssertSameEvents(IReadOnlyList<EnrichedEvent> expected, IReadOnlyList<EnrichedEvent> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            Assert.Equal(e with { Timestamp = StoragePrecision.Truncate(e.Timestamp), Context = a.Context }, a);
            Assert.True(
                System.Text.Json.JsonElement.DeepEquals(e.Context.ToJsonElement(), a.Context.ToJsonElement()),
                $"context differs at {i}: {a.Context}");
        }
    }
}
