using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Tests.Contract;

/// <summary>Automatic retries and dead letters (docs/ingestion.md "Events that fail").</summary>
public abstract partial class StorageContractTests
{
    [Fact]
    public async Task A_failure_to_retry_stays_pending_out_of_reads_until_due_then_is_read_with_its_attempts()
    {
        var user = TestData.NewUser();
        var events = TestData.Events(user, 3);
        await Log.AppendAsync(events);

        await State.CommitAsync([TestData.Commit(user, 0, done: [events[0].Uuid], failed:
        [
            new RawFailure(events[1].Uuid, "TimeoutException: later", Attempts: 2, RetryAfter: TimeSpan.FromHours(1)),
            new RawFailure(events[2].Uuid, "IOException: now", Attempts: 1, RetryAfter: TimeSpan.Zero),
        ])]);

        // Both are still PENDING (nothing accepted is lost), neither is a dead letter.
        Assert.Equal(new RawEventCounts(2, 1, 0), await Log.CountAsync());
        Assert.Empty(await Log.ReadFailedAsync(null, 10));
        Assert.Equal(0, await Log.CountDeadLettersAsync(null));
        // Only the due one is read (on activation too), with the tries it failed; the other waits.
        var due = Assert.Single(await Log.ReadPendingAsync(ProjectIds.Default, user));
        Assert.Equal((events[2].Uuid, 1), (due.Event.Uuid, due.Attempts));
        Assert.Equal([events[2].Uuid], (await State.LoadUserActivationAsync(ProjectIds.Default, user, 10)).Pending.Select(e => e.Event.Uuid));
        Assert.Contains(new UserRef(ProjectIds.Default, user), await Log.FindUsersWithDueRetriesAsync(100));
        // A retry waits for its time, not for the stale sweep (which would replay it at once).
        Assert.DoesNotContain(new UserRef(ProjectIds.Default, user), await Log.FindUsersWithStalePendingAsync(TimeSpan.Zero, 100));

        // Applied at its retry: DONE, and no longer due.
        await State.CommitAsync([TestData.Commit(user, 1, done: [events[2].Uuid])]);
        Assert.DoesNotContain(new UserRef(ProjectIds.Default, user), await Log.FindUsersWithDueRetriesAsync(100));
        Assert.Empty(await Log.ReadPendingAsync(ProjectIds.Default, user));
        Assert.Equal(new RawEventCounts(1, 2, 0), await Log.CountAsync());
    }

    [Fact]
    public async Task Retries_used_up_make_a_dead_letter_with_its_reason_and_attempts_until_a_bulk_retry()
    {
        var user = TestData.NewUser();
        var other = TestData.NewUser();
        var events = TestData.Events(user, 3);
        var theirs = TestData.Events(other, 1);
        await Log.AppendAsync([.. events, .. theirs]);

        await State.CommitAsync([TestData.Commit(user, 0, done: [events[0].Uuid], failed:
        [
            new RawFailure(events[1].Uuid, "InvalidOperationException: still broken", Attempts: 4),
            new RawFailure(events[2].Uuid, "ArgumentException: invalid", Attempts: 1),
        ])]);
        await State.CommitAsync([TestData.Commit(other, 0, failed: [new RawFailure(theirs[0].Uuid, "x", Attempts: 4)])]);

        Assert.Equal(3, await Log.CountDeadLettersAsync(null));
        Assert.Equal(3, await Log.CountDeadLettersAsync(ProjectIds.Default));
        Assert.Empty(await Log.ReadPendingAsync(ProjectIds.Default, user));
        Assert.Empty(await Log.FindUsersWithDueRetriesAsync(100));
        var dead = (await Log.ReadFailedAsync(ProjectIds.Default, 10)).Where(f => f.DistinctId == user).ToList();
        Assert.Equal([(events[2].Uuid, "ArgumentException: invalid", 1), (events[1].Uuid, "InvalidOperationException: still broken", 4)],
            dead.Select(f => (f.Uuid, f.Reason, f.Attempts)));
        Assert.All(dead, f => Assert.Equal("DEAD_LETTER", f.Status));

        var retried = await Log.RetryDeadLettersAsync(ProjectIds.Default);

        Assert.Equal(3, retried.Events);
        Assert.Equivalent(new[] { new UserRef(ProjectIds.Default, user), new UserRef(ProjectIds.Default, other) }, retried.Users);
        Assert.Equal(0, await Log.CountDeadLettersAsync(null));
        // PENDING again with a fresh budget, due at once: the grains replay them in log order.
        var pending = await Log.ReadPendingAsync(ProjectIds.Default, user);
        Assert.Equal([(events[1].Uuid, 0), (events[2].Uuid, 0)], pending.Select(p => (p.Event.Uuid, p.Attempts)));
        Assert.Equal(new RawEventCounts(3, 1, 0), await Log.CountAsync());
        Assert.Equal(0, (await Log.RetryDeadLettersAsync(null)).Events);

        await State.CommitAsync([TestData.Commit(user, 1, done: [events[1].Uuid, events[2].Uuid])]);
        Assert.Equal(new RawEventCounts(1, 3, 0), await Log.CountAsync());
    }

    [Fact]
    public async Task A_bulk_retry_of_one_project_leaves_the_other_projects_dead_letters()
    {
        var otherProject = (await Storage.Projects.CreateProjectAsync("dead-" + Guid.NewGuid().ToString("N")[..8])).ProjectId;
        var user = TestData.NewUser();
        var mine = TestData.Event(user);
        var theirs = TestData.Event(user) with { ProjectId = otherProject };
        await Log.AppendAsync([mine, theirs]);
        await State.CommitAsync(
        [
            TestData.Commit(user, 0, failed: [new RawFailure(mine.Uuid, "mine", Attempts: 4)]),
            TestData.Commit(user, 0, failed: [new RawFailure(theirs.Uuid, "theirs", Attempts: 4)]) with { ProjectId = otherProject },
        ]);

        var retried = await Log.RetryDeadLettersAsync(otherProject);

        Assert.Equal(1, retried.Events);
        Assert.Equal([new UserRef(otherProject, user)], retried.Users);
        Assert.Equal([mine.Uuid], (await Log.ReadFailedAsync(null, 10)).Select(f => f.Uuid));
        Assert.Equal(1, await Log.CountDeadLettersAsync(ProjectIds.Default));
        Assert.Equal(0, await Log.CountDeadLettersAsync(otherProject));
        Assert.Equal([theirs.Uuid], (await Log.ReadPendingAsync(otherProject, user)).Select(e => e.Event.Uuid));

        // Operators retry every project's at once.
        Assert.Equal([new UserRef(ProjectIds.Default, user)], (await Log.RetryDeadLettersAsync(null)).Users);
        Assert.Equal(0, await Log.CountDeadLettersAsync(null));
    }
}
