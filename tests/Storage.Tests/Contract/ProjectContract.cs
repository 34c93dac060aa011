using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Tests.Contract;

/// <summary>Projects, their keys, and the isolation of one project's rows from another's (docs/security.md).</summary>
public abstract partial class StorageContractTests
{
    private IProjectStore Projects => Storage.Projects;

    [Fact]
    public async Task The_same_distinct_id_and_session_id_in_two_projects_are_two_users_and_two_sessions()
    {
        var other = (await Projects.CreateProjectAsync("other-" + Guid.NewGuid().ToString("N")[..8])).ProjectId;
        var user = TestData.NewUser();
        var session = "s-" + user;
        var mine = TestData.Events(user, 2, session);
        var theirs = TestData.Events(user, 3, session).Select(e => e with { ProjectId = other }).ToList();
        await Log.AppendAsync([.. mine, .. theirs]);

        Assert.Equal(mine.Select(e => e.Uuid), (await Log.ReadPendingAsync(ProjectIds.Default, user)).Select(e => e.Event.Uuid));
        var pendingThere = await Log.ReadPendingAsync(other, user);
        Assert.Equal(theirs.Select(e => e.Uuid), pendingThere.Select(e => e.Event.Uuid));
        Assert.All(pendingThere, e => Assert.Equal(other, e.Event.ProjectId));
        Assert.Equivalent(new[] { new UserRef(ProjectIds.Default, user), new UserRef(other, user) },
            await Log.FindUsersWithStalePendingAsync(TimeSpan.Zero, 10));

        // One call commits both users, as a silo's group commit does: each lands in its own project.
        Assert.Empty(await State.CommitAsync(
        [
            TestData.Commit(user, 0, [.. mine.Select((e, i) => TestData.Enriched(e, i + 1))], [TestData.Session(session, user, eventCount: 2)],
                done: [.. mine.Select(e => e.Uuid)], state: "mine"),
            TestData.Commit(user, 0, [.. theirs.Select((e, i) => TestData.Enriched(e, i + 1))], [TestData.Session(session, user, eventCount: 3)],
                done: [.. theirs.Select(e => e.Uuid)], state: "theirs") with { ProjectId = other },
        ]));

        Assert.Equal("mine", System.Text.Encoding.UTF8.GetString((await State.LoadUserAsync(ProjectIds.Default, user))!.State));
        Assert.Equal("theirs", System.Text.Encoding.UTF8.GetString((await State.LoadUserAsync(other, user))!.State));
        Assert.Equal(2, (await State.LoadRecentEventsAsync(ProjectIds.Default, user, 100, since: null)).Count);
        Assert.Equal(3, (await State.LoadRecentEventsAsync(other, user, 100, since: null)).Count);
        Assert.Equal(2, (await State.LoadSessionAsync(ProjectIds.Default, session))!.EventCount);
        Assert.Equal(3, (await State.LoadSessionAsync(other, session))!.EventCount);
        Assert.Equal(theirs.Select(e => e.Uuid), (await State.LoadSessionEventsAsync(other, session, 100)).Select(e => e.RawEventId));
        Assert.Null(await State.LoadUserAsync(other + 1, user));
        Assert.Empty(await Log.ReadPendingAsync(other, user));

        // A stale commit in one project says which project's user it was.
        var stale = await State.CommitAsync([TestData.Commit(user, 0, state: "late") with { ProjectId = other }]);
        Assert.Equal([new UserRef(other, user)], stale);
    }

    [Fact]
    public async Task Failed_events_are_listed_per_project_and_a_retry_names_the_events_project()
    {
        var other = (await Projects.CreateProjectAsync("failing-" + Guid.NewGuid().ToString("N")[..8])).ProjectId;
        var user = TestData.NewUser();
        var mine = TestData.Event(user);
        var theirs = TestData.Event(user) with { ProjectId = other };
        await Log.AppendAsync([mine, theirs]);
        await State.CommitAsync(
        [
            TestData.Commit(user, 0, failed: [new RawFailure(mine.Uuid, "mine failed")]),
            TestData.Commit(user, 0, failed: [new RawFailure(theirs.Uuid, "theirs failed")]) with { ProjectId = other },
        ]);

        Assert.Equal([mine.Uuid], (await Log.ReadFailedAsync(ProjectIds.Default, 10)).Select(f => f.Uuid));
        Assert.Equal([(other, theirs.Uuid)], (await Log.ReadFailedAsync(other, 10)).Select(f => (f.ProjectId, f.Uuid)));
        Assert.Equal(2, (await Log.ReadFailedAsync(null, 10)).Count);
        Assert.Equal(new UserRef(other, user), await Log.RetryFailedAsync(theirs.Uuid));
        Assert.Equal([theirs.Uuid], (await Log.ReadPendingAsync(other, user)).Select(e => e.Event.Uuid));
    }

    [Fact]
    public async Task Projects_and_keys_are_created_listed_and_revoked_and_a_secret_is_stored_only_as_its_hash()
    {
        var created = await Projects.CreateProjectAsync("acme");
        Assert.True(created.ProjectId > ProjectIds.Default);
        await Assert.ThrowsAsync<ArgumentException>(() => Projects.CreateProjectAsync("acme"));

        var token = ProjectKeys.NewCaptureToken();
        var secret = ProjectKeys.NewSecretKey();
        var capture = await Projects.AddKeyAsync(created.ProjectId, ProjectKeyKind.Capture, token);
        var read = await Projects.AddKeyAsync(created.ProjectId, ProjectKeyKind.Secret, secret);
        Assert.Null(await Projects.AddKeyAsync(created.ProjectId + 1000, ProjectKeyKind.Secret, ProjectKeys.NewSecretKey()));

        var active = await Projects.LoadActiveKeysAsync();
        Assert.Contains(active, k => k.KeyId == capture!.KeyId && k.Token == token && k.SecretHash is null && k.ProjectId == created.ProjectId);
        var stored = Assert.Single(active, k => k.KeyId == read!.KeyId);
        Assert.Null(stored.Token);
        Assert.Equal(ProjectKeys.Hash(secret), stored.SecretHash);

        var listed = Assert.Single(await Projects.ListProjectsAsync(), p => p.ProjectId == created.ProjectId);
        Assert.Equal("acme", listed.Name);
        Assert.Equal([ProjectKeys.Hint(token), ProjectKeys.Hint(secret)], listed.Keys.Select(k => k.Hint));
        Assert.DoesNotContain(listed.Keys, k => k.Hint.Contains(secret[5..^4], StringComparison.Ordinal));
        Assert.Contains(await Projects.ListProjectsAsync(), p => p.ProjectId == ProjectIds.Default && p.Name == "default");

        Assert.True(await Projects.RevokeKeyAsync(read!.KeyId));
        Assert.False(await Projects.RevokeKeyAsync(read.KeyId));
        Assert.DoesNotContain(await Projects.LoadActiveKeysAsync(), k => k.KeyId == read.KeyId);
        Assert.NotNull(Assert.Single((await Projects.ListProjectsAsync()).Single(p => p.ProjectId == created.ProjectId).Keys, k => k.KeyId == read.KeyId).RevokedAt);
    }
}

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Erasing_a_user_removes_every_row_of_that_user_in_that_project_and_nothing_else()
    {
        var other = (await Projects.CreateProjectAsync("erase-" + Guid.NewGuid().ToString("N")[..8])).ProjectId;
        var user = TestData.NewUser();
        var neighbour = TestData.NewUser();
        var session = "s-" + user;
        var events = TestData.Events(user, 4, session);
        var twin = TestData.Events(user, 2, session).Select(e => e with { ProjectId = other }).ToList();
        var neighbours = TestData.Events(neighbour, 2, "s-" + neighbour);
        await Log.AppendAsync([.. events, .. twin, .. neighbours]);
        await State.CommitAsync(
        [
            TestData.Commit(user, 0, [.. events.Take(2).Select((e, i) => TestData.Enriched(e, i + 1))], [TestData.Session(session, user, eventCount: 2)],
                done: [events[0].Uuid, events[1].Uuid], failed: [new RawFailure(events[2].Uuid, "bad")]),
            TestData.Commit(user, 0, [TestData.Enriched(twin[0], 1)], [TestData.Session(session, user)], done: [twin[0].Uuid]) with { ProjectId = other },
            TestData.Commit(neighbour, 0, [TestData.Enriched(neighbours[0], 1)], [TestData.Session("s-" + neighbour, neighbour)], done: [neighbours[0].Uuid]),
        ]);

        var erased = await State.EraseUserAsync(ProjectIds.Default, user, "key 7");

        Assert.Equal((4L, 2L, 1L, 1L), (erased.RawEvents, erased.EnrichedEvents, erased.Sessions, erased.Snapshots));
        Assert.Equal([events[3].Uuid], erased.PendingUuids);
        Assert.Equal([session], erased.SessionIds);
        Assert.Null(await State.LoadUserAsync(ProjectIds.Default, user));
        Assert.Empty(await Log.ReadPendingAsync(ProjectIds.Default, user));
        Assert.Empty(await State.LoadRecentEventsAsync(ProjectIds.Default, user, 100, since: null));
        Assert.Null(await State.LoadSessionAsync(ProjectIds.Default, session));
        Assert.DoesNotContain(await Log.ReadFailedAsync(null, 100), f => f.DistinctId == user && f.ProjectId == ProjectIds.Default);
        // The same id in another project, and another user in this one, are untouched.
        Assert.NotNull(await State.LoadUserAsync(other, user));
        Assert.Single(await Log.ReadPendingAsync(other, user));
        Assert.NotNull(await State.LoadSessionAsync(other, session));
        Assert.NotNull(await State.LoadUserAsync(ProjectIds.Default, neighbour));
        Assert.Single(await State.LoadRecentEventsAsync(ProjectIds.Default, neighbour, 100, since: null));

        // Erasing again finds nothing; the user's id can start over.
        Assert.Equal(0, (await State.EraseUserAsync(ProjectIds.Default, user, "key 7")).Rows);
        var again = TestData.Event(user, session);
        await Log.AppendAsync([again]);
        Assert.Equal([again.Uuid], (await Log.ReadPendingAsync(ProjectIds.Default, user)).Select(e => e.Event.Uuid));
        Assert.Empty(await State.CommitAsync([TestData.Commit(user, 0, done: [again.Uuid])]));
    }

    [Fact]
    public async Task Retention_deletes_old_events_in_batches_from_the_head_of_the_log_never_a_pending_one_and_keeps_sessions_and_snapshots()
    {
        var user = TestData.NewUser();
        var session = "s-" + user;
        var events = TestData.Events(user, 5, session);
        await Log.AppendAsync(events);
        await State.CommitAsync([TestData.Commit(user, 0, [.. events.Take(3).Select((e, i) => TestData.Enriched(e, i + 1))],
            [TestData.Session(session, user, eventCount: 3)], done: [.. events.Take(3).Select(e => e.Uuid)], failed: [new RawFailure(events[3].Uuid, "bad")])]);

        Assert.Equal((0L, 0L), await State.PruneAsync(DateTimeOffset.UtcNow.AddDays(-1), 10));

        // Everything counts as old when the cut-off is tomorrow; two rows a batch.
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1);
        Assert.Equal((2L, 2L), await State.PruneAsync(tomorrow, 2));
        Assert.Equal((2L, 1L), await State.PruneAsync(tomorrow, 2));
        Assert.Equal((0L, 0L), await State.PruneAsync(tomorrow, 2));

        Assert.Equal([events[4].Uuid], (await Log.ReadPendingAsync(ProjectIds.Default, user)).Select(e => e.Event.Uuid));
        Assert.Equal(new RawEventCounts(1, 0, 0), await Log.CountAsync());
        Assert.Empty(await State.LoadRecentEventsAsync(ProjectIds.Default, user, 100, since: null));
        Assert.Equal(3, (await State.LoadSessionAsync(ProjectIds.Default, session))!.EventCount);
        Assert.NotNull(await State.LoadUserAsync(ProjectIds.Default, user));
    }
}
