using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage.Tests.Contract;

/// <summary>The user's sessions by start for the context's previous_sessions (docs/patterns-and-sessions.md §4).</summary>
public abstract partial class StorageContractTests
{
    [Fact]
    public async Task A_users_sessions_come_newest_start_first_ties_by_id_limited_and_only_theirs()
    {
        var other = (await Projects.CreateProjectAsync("hist-" + Guid.NewGuid().ToString("N")[..8])).ProjectId;
        var user = TestData.NewUser();
        var neighbour = TestData.NewUser();
        SessionRecord At(string id, int day, bool open = false)
        {
            var last = TestData.BaseTime.AddDays(day).AddMinutes(2 + day);
            var row = TestData.Session($"{id}-{user}", user, eventCount: 2 + day, isActive: open, endedAt: open ? null : last);
            return row with { StartedAt = TestData.BaseTime.AddDays(day), LastActivityAt = last };
        }
        // Written out of order, and in two commits: the order is storage's, by start.
        var sessions = new[] { At("c", 3), At("a", 1), At("e", 5, open: true), At("b", 2), At("d", 3), At("f", 0) };
        Assert.Empty(await State.CommitAsync([TestData.Commit(user, 0, sessions: sessions[..3])]));
        Assert.Empty(await State.CommitAsync(
        [
            TestData.Commit(user, 1, sessions: sessions[3..]),
            TestData.Commit(neighbour, 0, sessions: [TestData.Session("n-" + neighbour, neighbour) with { StartedAt = TestData.BaseTime.AddDays(9) }]),
            TestData.Commit(user, 0, sessions: [TestData.Session("x-" + user, user) with { StartedAt = TestData.BaseTime.AddDays(9) }]) with { ProjectId = other },
        ]));

        var newest = await State.LoadUserSessionsAsync(ProjectIds.Default, user, 3);
        var all = await State.LoadUserSessionsAsync(ProjectIds.Default, user, 11);

        // Day 3 twice: the greater id first.
        Assert.Equal([$"e-{user}", $"d-{user}", $"c-{user}"], newest.Select(s => s.SessionId));
        Assert.Equal(["e", "d", "c", "b", "a", "f"], all.Select(s => s.SessionId[..1]));
        foreach (var stored in all)
        {
            AssertSameSession(sessions.Single(s => s.SessionId == stored.SessionId), stored);
        }
        Assert.Null(all[0].EndedAt); // the open one, as stored
        Assert.Empty(await State.LoadUserSessionsAsync(ProjectIds.Default, user, 0));
        Assert.Empty(await State.LoadUserSessionsAsync(ProjectIds.Default, "nobody-" + user, 11));
        Assert.Equal([$"x-{user}"], (await State.LoadUserSessionsAsync(other, user, 11)).Select(s => s.SessionId));
    }
}
