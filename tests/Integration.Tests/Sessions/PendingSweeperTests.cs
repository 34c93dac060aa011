using System.Net;
using System.Net.Http.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Sessions;

/// <summary>
/// The pending sweeper on a single node: a raw event stored but never delivered (its delivery was
/// lost) is found once it is older than <c>Grains__StalePendingAfter</c> and applied by its user
/// grain, with nobody asking for that user.
/// </summary>
public sealed class PendingSweeperTests
{
    [Fact]
    public async Task A_raw_event_left_pending_is_swept_and_applied_without_a_request()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        var env = db.NodeEnvironment();
        env["Grains__StalePendingAfter"] = "00:00:02";
        // Below StalePendingAfter minus FlushDelay (1 s): the sweep finds only the lost delivery.
        env["Grains__SnapshotInterval"] = "00:00:00.500";
        env["Grains__SweepInterval"] = "00:00:01";
        await using var node = await NodeProcess.StartGatewayAsync(env);
        using var http = node.CreateClient();
        const string user = "user-lost-delivery";
        const string session = "s-lost-delivery";
        var uuid = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);

        // As the gateway stores it, but no delivery follows: only the sweeper can bring it to the grain.
        await db.StoreUndeliveredAsync(uuid, user, at.ToString("O"), session,
            $$"""{"$session_id": "{{session}}", "$pathname": "/pricing", "token": "test"}""");

        // Watched in storage only: a read of the user would activate the grain, which replays by itself.
        await ContextReader.WaitUntilAsync(
            async () => await db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE raw_event_id = '{uuid}' AND status = 'DONE'") == 1,
            () => $"the pending event swept and committed DONE:\n{node.Log}", 60000);
        Assert.Contains("Recovering stale pending events of 1 users", node.Log);
        Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM enriched_event WHERE raw_event_id = '{uuid}' AND sequence_number = 1"));

        var context = await ContextReader.GetAsync(http, user);
        Assert.Equal(["Viewed pricing page"], ContextReader.Labels(context));
        Assert.Equal(uuid.ToString(), context.GetProperty("recent_events")[0].GetProperty("raw_event_id").GetString());
        // The user's next event, delivered live, follows it in the same session.
        var next = await http.PostAsJsonAsync("/ingest", Envelope(Pageview(user, session, at.AddSeconds(5), "/billing")));
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        var view = await SessionReader.WaitForAsync(http, session, s => SessionReader.EventCount(s) == 2);
        Assert.Equal([1, 2], view.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.Equal(0, await db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{user}' AND status = 'DEAD_LETTER'"));
    }
}
