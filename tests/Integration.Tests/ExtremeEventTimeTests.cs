using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests;

/// <summary>
/// Issue 18: timestamps at the ends of the range, sent through /batch and /ingest, and one stored before
/// the time bounds existed, never make a user unreadable, before or after the grain is reactivated.
/// </summary>
public sealed class ExtremeEventTimeTests
{
    private const string Token = "phc_time_token";
    private const string User = "user-extreme-time";
    private const string Session = "s-extreme-time";

    private static readonly string[] Extremes =
    [
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00-14:00",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:58.9999999Z",
        "9999-12-31T23:59:59+14:00",
    ];

    [Fact]
    public async Task Extreme_timestamps_leave_the_context_session_and_user_view_readable()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        var env = db.NodeEnvironment();
        env["Capture__Tokens"] = Token;
        var node = await NodeProcess.StartGatewayAsync(env);
        try
        {
            using var http = node.CreateClient();
            // Taken after the node started: a slow start must not widen the gap the checks below allow.
            var sentFrom = DateTimeOffset.UtcNow;
            // /batch: the extremes as timestamps (the request's sent_at is the year 9999 too), and as
            // an event's own sent_at beside a sane timestamp.
            var batch = Extremes.Select(t => Capture(t, null))
                .Append(Capture("2026-01-01T00:00:00+14:00", "0001-01-01T00:00:00Z"))
                .Append(Capture("2026-01-01T00:00:00-14:00", "9999-12-31T23:59:59Z"));
            var body = $$"""{"api_key": "{{Token}}", "sent_at": "9999-12-31T23:59:59Z", "batch": [{{string.Join(",", batch)}}]}""";
            var captured = await http.PostAsync("/batch", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, captured.StatusCode);
            // /ingest: PostHog's own time, still bounded.
            foreach (var t in Extremes)
            {
                var evt = Pageview(User, Session, DateTimeOffset.UtcNow, "/ingest");
                evt["timestamp"] = t;
                var response = await http.PostAsJsonAsync("/ingest", Envelope(evt));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
            var expected = Extremes.Length * 2 + 2;
            var context = await AssertReadableAsync(http, expected);
            var sentUntil = DateTimeOffset.UtcNow;
            // Every extreme became its receive time, except that 9999-12-31T23:59:59+14:00 sent at
            // 9999-12-31T23:59:59Z is a clock 14 hours behind its own sent_at: skew removed, 14 hours ago.
            var times = context.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("timestamp").GetDateTimeOffset()).ToList();
            bool Received(DateTimeOffset at, int hoursBack) =>
                at >= sentFrom.AddHours(-hoursBack).AddSeconds(-1) && at <= sentUntil.AddHours(-hoursBack).AddSeconds(1);
            Assert.All(times, at => Assert.True(Received(at, 0) || Received(at, 14), $"{at:O}: {context}"));
            Assert.Single(times, at => at < sentFrom.AddHours(-1));
        }
        finally
        {
            await node.DisposeAsync();
        }

        // An event stored before the bounds existed is durable and replays when the grain activates again.
        await db.StoreUndeliveredAsync(Guid.NewGuid(), User, "9999-12-31T23:59:59Z", Session,
            $$"""{"$session_id": "{{Session}}", "$pathname": "/legacy"}""");
        await using var again = await NodeProcess.StartGatewayAsync(env);
        using var http2 = again.CreateClient();
        var replayed = await AssertReadableAsync(http2, Extremes.Length * 2 + 3);
        // Replay bounds it by the row's received_at: no event sits years ahead at the top of the list.
        var latest = replayed.GetProperty("recent_events").EnumerateArray().Max(e => e.GetProperty("timestamp").GetDateTimeOffset());
        Assert.True(latest <= DateTimeOffset.UtcNow.AddMinutes(1), $"{latest:O}: {replayed}");
    }

    private static string Capture(string timestamp, string? sentAt)
    {
        var sent = sentAt is null ? "" : $", \"sent_at\": \"{sentAt}\"";
        return $$"""{"event": "$pageview", "distinct_id": "{{User}}", "uuid": "{{Guid.NewGuid()}}", "timestamp": "{{timestamp}}"{{sent}}, "properties": {"$session_id": "{{Session}}", "$pathname": "/capture"} }""";
    }

    private static async Task<JsonElement> AssertReadableAsync(HttpClient http, int events)
    {
        var context = await ContextReader.WaitForAsync(http, User, c => ContextReader.EventCount(c) == events);
        var read = await http.GetAsync($"/session/context/{User}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("grain", read.Headers.GetValues("X-Context-Source").Single());
        Assert.Equal(Session, context.GetProperty("last_session").GetProperty("session_id").GetString());

        HttpStatusCode session = 0;
        await ContextReader.WaitUntilAsync(
            async () => (session = (await http.GetAsync($"/session/{Session}")).StatusCode) == HttpStatusCode.OK,
            () => $"GET /session/{Session} to answer 200 (last {(int)session})");
        var view = await http.GetAsync($"/insights/api/user/{User}");
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        var user = await view.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(events, user.GetProperty("context").GetProperty("recent_events").GetArrayLength());
        return context;
    }
}
