using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Projects;

namespace SessionInsights.Storage.Tests.Contract;

/// <summary>The streaming scan rule backtests read: one project's session events of a period, by user, session, arrival.</summary>
public abstract partial class StorageContractTests
{
    private static readonly DateTimeOffset ScanFrom = TestData.BaseTime;
    private static readonly DateTimeOffset ScanTo = TestData.BaseTime.AddHours(1);

    private static EnrichedEvent Stored(string user, string? session, int seq, DateTimeOffset at) =>
        TestData.Enriched(TestData.Event(user, session, timestamp: at), seq, session, at);

    private async Task<List<EnrichedEvent>> ScanAsync(long projectId, DateTimeOffset from, DateTimeOffset to)
    {
        var events = new List<EnrichedEvent>();
        await foreach (var e in Storage.EventScan.ScanSessionEventsAsync(projectId, from, to))
        {
            events.Add(e);
        }
        return events;
    }

    [Fact]
    public async Task A_scan_returns_the_projects_session_events_of_the_period_by_user_then_session_then_arrival()
    {
        var other = (await Storage.Projects.CreateProjectAsync("scan-" + Guid.NewGuid().ToString("N")[..8])).ProjectId;
        // Arrival order differs from timestamp order in b-2: the scan follows arrival (sequence number).
        var b2Second = Stored("user-b", "b-2", 2, ScanFrom.AddMinutes(1));
        var b2First = Stored("user-b", "b-2", 1, ScanFrom.AddMinutes(5));
        var b1 = Stored("user-b", "b-1", 1, ScanFrom.AddMinutes(30));
        var a1 = Stored("user-a", "a-1", 1, ScanTo.AddTicks(-10));
        var atFrom = Stored("user-c", "c-1", 1, ScanFrom);
        var beforeFrom = Stored("user-c", "c-1", 2, ScanFrom.AddTicks(-10));
        var atTo = Stored("user-c", "c-1", 3, ScanTo);
        var noSession = Stored("user-a", null, 0, ScanFrom.AddMinutes(2));
        var otherProject = Stored("user-a", "a-1", 2, ScanFrom.AddMinutes(3));

        Assert.Empty(await State.CommitAsync(
        [
            TestData.Commit("user-b", 0, [b2Second, b1, b2First]),
            TestData.Commit("user-a", 0, [a1, noSession]),
            TestData.Commit("user-c", 0, [atTo, beforeFrom, atFrom]),
            TestData.Commit("user-a", 0, [otherProject]) with { ProjectId = other },
        ]));

        var scanned = await ScanAsync(ProjectIds.Default, ScanFrom, ScanTo);

        Assert.Equal(
            [a1.RawEventId, b1.RawEventId, b2First.RawEventId, b2Second.RawEventId, atFrom.RawEventId],
            scanned.Select(e => e.RawEventId));
        // Rows come back whole, as the live engine needs them.
        var b2 = scanned[3];
        Assert.Equal((b2Second.EnrichedEventId, "user-b", "b-2", 2, b2Second.Timestamp), (b2.EnrichedEventId, b2.UserId, b2.SessionId, b2.SequenceNumber, b2.Timestamp));
        Assert.Equal((b2Second.SemanticLabel, b2Second.ElementText, b2Second.PagePath), (b2.SemanticLabel, b2.ElementText, b2.PagePath));
        Assert.Equal(b2Second.Context.Utf8Json.ToArray(), b2.Context.Utf8Json.ToArray());
        Assert.Equal([otherProject.RawEventId], (await ScanAsync(other, ScanFrom, ScanTo)).Select(e => e.RawEventId));
    }

    [Fact]
    public async Task A_scan_stopped_early_releases_its_connection()
    {
        var events = Enumerable.Range(1, 50).Select(i => Stored("user-a", "a-1", i, ScanFrom.AddSeconds(i))).ToList();
        Assert.Empty(await State.CommitAsync([TestData.Commit("user-a", 0, events)]));

        // More abandoned scans than a pool has connections (100): each must give its connection back.
        for (var i = 0; i < 120; i++)
        {
            await foreach (var e in Storage.EventScan.ScanSessionEventsAsync(ProjectIds.Default, ScanFrom, ScanTo))
            {
                Assert.Equal(1, e.SequenceNumber);
                break;
            }
        }
        Assert.Equal(50, (await ScanAsync(ProjectIds.Default, ScanFrom, ScanTo)).Count);
    }
}
