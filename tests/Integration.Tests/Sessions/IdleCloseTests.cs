using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Sessions;

/// <summary>
/// SPEC §5 on a running gateway: a session closes after <c>Insights__SessionIdleTimeout</c> without
/// events (here 4 s), and a late event for it (dated inside its time range) reopens it.
/// </summary>
public sealed class IdleCloseTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_session_closes_when_idle_and_a_late_event_reopens_it()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        var env = db.NodeEnvironment();
        env["Insights__SessionIdleTimeout"] = "00:00:04";
        await using var node = await NodeProcess.StartGatewayAsync(env);
        using var http = node.CreateClient();
        const string user = "user-idle";
        const string session = "s-idle";
        // Whole seconds: times compare exactly whatever precision storage keeps.
        var now = DateTimeOffset.UtcNow;
        var t0 = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(-30);

        await IngestAsync(http, Pageview(user, session, t0, "/"));
        var lastSent = Stopwatch.StartNew();
        await IngestAsync(http, Pageview(user, session, t0.AddSeconds(20), "/pricing"));

        // Open while events come in: seen before the timeout could have passed, it must be active.
        var open = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 2, timeoutMs: 60000);
        if (lastSent.Elapsed < Idle)
        {
            Assert.True(open.GetProperty("last_session").GetProperty("is_active").GetBoolean(), $"closed before the idle timeout: {open}");
        }

        // Closed by the grain's own timer, no event needed: ended_at is the last activity. Idle counts
        // from each event's arrival at the grain, so on a slow machine the session may already close (and
        // reopen) between the two events: the close that counts is the one with both events in it.
        var closed = await SessionReader.WaitForAsync(http, session, s => SessionReader.EventCount(s) == 2 && !SessionReader.IsActive(s));
        var closedAfter = lastSent.Elapsed;
        Assert.True(closedAfter > Idle - TimeSpan.FromMilliseconds(500), $"closed {closedAfter} after the last event, before the {Idle} timeout");
        Assert.Equal(t0.AddSeconds(20), SessionReader.Row(closed).GetProperty("ended_at").GetDateTimeOffset());
        Assert.Equal(2, SessionReader.EventCount(closed));
        var context = await ContextReader.WaitForAsync(http, user, c => !c.GetProperty("last_session").GetProperty("is_active").GetBoolean(), timeoutMs: 60000);
        Assert.Equal(t0.AddSeconds(20), context.GetProperty("last_session").GetProperty("ended_at").GetDateTimeOffset());
        await ContextReader.WaitUntilAsync(
            async () => await db.ScalarAsync($"SELECT count(*) FROM session WHERE session_id = '{session}' AND NOT is_active AND ended_at IS NOT NULL") == 1,
            "the closed session row committed", 60000);

        // A late event (PostHog retried it) dated between the two: the same session again, reopened.
        var lateSent = Stopwatch.StartNew();
        await IngestAsync(http, Click(user, session, t0.AddSeconds(10), "/", "Sign up"));
        var reopened = await SessionReader.WaitForAsync(http, session, s => SessionReader.EventCount(s) == 3);
        // Seen before it could have gone idle again, it must be open: reopened, not a closed session that grew.
        if (lateSent.Elapsed < Idle)
        {
            Assert.True(SessionReader.IsActive(reopened), $"not reopened: {reopened}");
            Assert.Equal(System.Text.Json.JsonValueKind.Null, SessionReader.Row(reopened).GetProperty("ended_at").ValueKind);
        }
        var row = SessionReader.Row(reopened);
        Assert.Equal(t0, row.GetProperty("started_at").GetDateTimeOffset());
        Assert.Equal(t0.AddSeconds(20), row.GetProperty("last_activity_at").GetDateTimeOffset());
        Assert.Equal(1, row.GetProperty("clicks_count").GetInt32());
        Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM session WHERE user_id = '{user}'"));
        var late = reopened.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("event_type").GetString() == "click");
        Assert.Equal(3, late.GetProperty("sequence_number").GetInt32());
        // The reopened session closes again only once idle from the late event's arrival: a session
        // that had stayed closed would be seen closed at once.
        var closedAgain = await SessionReader.WaitForAsync(http, session, s => SessionReader.EventCount(s) == 3 && !SessionReader.IsActive(s));
        Assert.True(lateSent.Elapsed > Idle - TimeSpan.FromMilliseconds(500), $"closed {lateSent.Elapsed} after the late event, before the {Idle} timeout");
        Assert.Equal(t0.AddSeconds(20), SessionReader.Row(closedAgain).GetProperty("ended_at").GetDateTimeOffset());
    }

    private static async Task IngestAsync(HttpClient http, System.Text.Json.Nodes.JsonObject evt)
    {
        var response = await http.PostAsJsonAsync("/ingest", Envelope(evt));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
