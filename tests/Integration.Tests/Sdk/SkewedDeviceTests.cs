using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Sdk;

/// <summary>
/// Issue 18 part 4 ("late events done right") through the real posthog-node SDK whose device clock is faked
/// (tests/sdk/fake-clock.mjs): posthog-node stamps timestamp and sent_at itself, so a wrong clock or a
/// late flush reaches the gateway exactly as from a real device. The context and the sessions must show
/// real time: skew removed, late events in their own past session, a closed session reopened, pattern
/// windows on corrected times, and two skewed devices interleaved by real time.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class SkewedDeviceTests(ShortIdleGatewayFixture gateway) : IClassFixture<ShortIdleGatewayFixture>
{
    private static readonly long Hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;
    private static readonly string SdkDirectory = Path.Combine(CommandRunner.RepoRoot, "tests", "sdk");
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool s_installed;

    // Corrected times are "real capture time + the request's network delay"; a loaded machine can stretch
    // that delay to seconds, never to the hours and days of the skews tested here.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(30);

    private static object Clock(long offsetMs) => new { clock = offsetMs };

    private static object Sleep(int ms) => new { sleep = ms };

    private static object Flush(string client) => new { flush = client };

    private static object Capture(string client, string user, string session, string path, string @event = "$pageview") =>
        new { client, capture = new { distinctId = user, @event, properties = new Dictionary<string, string> { ["$session_id"] = session, ["$pathname"] = path } } };

    private async Task RunPlanAsync(params object[] steps)
    {
        await InstallLock.WaitAsync();
        try
        {
            if (!s_installed)
            {
                await CommandRunner.RunAsync(SdkDirectory, TimeSpan.FromMinutes(3), "npm", "ci", "--no-audit", "--no-fund");
                s_installed = true;
            }
        }
        finally
        {
            InstallLock.Release();
        }
        var plan = Path.Combine(Path.GetTempPath(), $"si-plan-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(plan, JsonSerializer.Serialize(steps));
        try
        {
            await CommandRunner.RunAsync(SdkDirectory, TimeSpan.FromMinutes(2), "node", "send-with-clock.mjs",
                gateway.Node.BaseAddress!.ToString().TrimEnd('/'), ShortIdleGatewayFixture.Token, plan);
        }
        finally
        {
            File.Delete(plan);
        }
    }

    private static string NewUser(string what) => $"{what}-{Guid.NewGuid():N}"[..24];

    private static List<JsonElement> Events(JsonElement context) => [.. context.GetProperty("recent_events").EnumerateArray()];

    private static List<string> Paths(JsonElement context) => [.. Events(context).Select(e => e.GetProperty("page_path").GetString()!)];

    private static DateTimeOffset Time(JsonElement e, string name = "timestamp") => e.GetProperty(name).GetDateTimeOffset();

    private static void AssertWithin(DateTimeOffset from, DateTimeOffset until, DateTimeOffset at, string what) =>
        Assert.True(at >= from - TimeSpan.FromSeconds(1) && at <= until + TimeSpan.FromSeconds(1), $"{what}: {at:O} not in [{from:O}, {until:O}]");

    private async Task<JsonElement> ContextAsync(string user, int events) =>
        await ContextReader.WaitForAsync(gateway.Node.CreateClient(), user, c => ContextReader.EventCount(c) == events, timeoutMs: 60_000);

    /// <summary>The context of the last hour only (lookback_hours=1), once it has <paramref name="events"/> events.</summary>
    private async Task<JsonElement> LastHourAsync(string user, int events)
    {
        using var http = gateway.Node.CreateClient();
        JsonElement context = default;
        await ContextReader.WaitUntilAsync(
            async () =>
            {
                context = JsonDocument.Parse(await http.GetStringAsync($"/session/context/{user}?lookback_hours=1")).RootElement.Clone();
                return ContextReader.EventCount(context) == events;
            },
            () => $"{events} events in the last hour (last: {context})", timeoutMs: 60_000);
        return context;
    }

    [Fact]
    public async Task A_device_3_hours_fast_has_its_events_at_real_time()
    {
        var user = NewUser("fast");
        var from = DateTimeOffset.UtcNow;
        await RunPlanAsync(Clock(3 * Hour), Capture("phone", user, "s-" + user, "/a"), Capture("phone", user, "s-" + user, "/b"), Flush("phone"));
        var until = DateTimeOffset.UtcNow;

        var context = await ContextAsync(user, 2);
        Assert.Equal(["/a", "/b"], Paths(context));
        foreach (var e in Events(context))
        {
            AssertWithin(from, until, Time(e), "corrected time");
            var skew = Time(e, "original_timestamp") - Time(e);
            Assert.True((skew - TimeSpan.FromHours(3)).Duration() < Slack, $"the device's own time is kept, 3 hours ahead: {e}");
        }
        AssertWithin(from, until, context.GetProperty("last_session").GetProperty("started_at").GetDateTimeOffset(), "session start");
    }

    [Fact]
    public async Task A_device_2_days_slow_has_its_events_at_real_time()
    {
        var user = NewUser("slow");
        var from = DateTimeOffset.UtcNow;
        await RunPlanAsync(Clock(-48 * Hour), Capture("phone", user, "s-" + user, "/a"), Capture("phone", user, "s-" + user, "/b"), Flush("phone"));
        var until = DateTimeOffset.UtcNow;

        // lookback_hours=1: as sent, these events would be two days old and left out.
        var context = await LastHourAsync(user, 2);
        foreach (var e in Events(context))
        {
            AssertWithin(from, until, Time(e), "corrected time");
            var skew = Time(e) - Time(e, "original_timestamp");
            Assert.True((skew - TimeSpan.FromHours(48)).Duration() < Slack, $"the device's own time is kept, 2 days behind: {e}");
        }
        Assert.True(context.GetProperty("last_session").GetProperty("is_active").GetBoolean() || DateTimeOffset.UtcNow - until > ShortIdleGatewayFixture.IdleTimeout,
            "a session of events just received is open");
    }

    [Fact]
    public async Task An_offline_queue_flushed_a_day_later_lands_in_its_own_past_session()
    {
        var user = NewUser("offline");
        var from = DateTimeOffset.UtcNow;
        // Yesterday, offline: a session queued on the device. Today, online: a new session; then the queue goes out whole.
        await RunPlanAsync(
            Clock(-24 * Hour), Capture("phone", user, "s-yesterday-" + user, "/y1"), Capture("phone", user, "s-yesterday-" + user, "/y2"),
            Clock(0), Capture("phone", user, "s-today-" + user, "/t1"), Capture("phone", user, "s-today-" + user, "/t2"),
            Flush("phone"));
        var until = DateTimeOffset.UtcNow;

        var context = await ContextAsync(user, 4);
        // Oldest first: yesterday's events a day back, then today's; the latest session is today's.
        Assert.Equal(["/y1", "/y2", "/t1", "/t2"], Paths(context));
        var events = Events(context);
        AssertWithin(from.AddDays(-1), until.AddDays(-1), Time(events[0]), "yesterday's event");
        AssertWithin(from, until, Time(events[3]), "today's event");
        Assert.Equal("s-today-" + user, context.GetProperty("last_session").GetProperty("session_id").GetString());

        using var http = gateway.Node.CreateClient();
        JsonElement yesterday = default;
        await ContextReader.WaitUntilAsync(
            async () =>
            {
                var response = await http.GetAsync($"/session/s-yesterday-{user}");
                if (!response.IsSuccessStatusCode)
                {
                    return false;
                }
                yesterday = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("session").Clone();
                return yesterday.GetProperty("event_count").GetInt32() == 2;
            },
            () => $"yesterday's session with its 2 events (last: {yesterday})", timeoutMs: 60_000);
        AssertWithin(from.AddDays(-1), until.AddDays(-1), yesterday.GetProperty("started_at").GetDateTimeOffset(), "yesterday's session start");
        AssertWithin(from.AddDays(-1), until.AddDays(-1), yesterday.GetProperty("last_activity_at").GetDateTimeOffset(), "yesterday's session end");
    }

    [Fact]
    public async Task A_late_event_reopens_its_closed_session_at_its_own_time()
    {
        var user = NewUser("reopen");
        var session = "s-" + user;
        await RunPlanAsync(Capture("phone", user, session, "/first"), Capture("phone", user, session, "/second"), Flush("phone"));
        var context = await ContextAsync(user, 2);
        var lastBefore = Time(Events(context)[1]);

        // Idle for the (short) timeout: the session closes.
        using var http = gateway.Node.CreateClient();
        await ContextReader.WaitUntilAsync(
            async () => !(await ContextReader.GetAsync(http, user)).GetProperty("last_session").GetProperty("is_active").GetBoolean(),
            "the session to close when idle", timeoutMs: 120_000);

        // An event the device queued right after /second and sent only now: its clock stamped it then.
        var lateBy = (long)(DateTimeOffset.UtcNow - lastBefore).TotalMilliseconds - 500;
        await RunPlanAsync(Clock(-lateBy), Capture("phone", user, session, "/late"), Clock(0), Flush("phone"));

        JsonElement last = default;
        await ContextReader.WaitUntilAsync(
            async () =>
            {
                last = (await ContextReader.GetAsync(http, user)).GetProperty("last_session");
                return last.GetProperty("event_count").GetInt32() == 3 && last.GetProperty("is_active").GetBoolean();
            },
            () => $"the late event to reopen its session (last: {last})", timeoutMs: 60_000);
        Assert.Equal(session, last.GetProperty("session_id").GetString());
        var reopened = await ContextAsync(user, 3);
        Assert.Equal(["/first", "/second", "/late"], Paths(reopened));
        var late = Time(Events(reopened)[2]);
        Assert.True(late - lastBefore < Slack, $"the late event keeps its own time ({late:O}), just after /second ({lastBefore:O})");
    }

    [Fact]
    public async Task Pattern_windows_use_the_corrected_time_of_queued_events()
    {
        var user = NewUser("cart");
        var session = "s-" + user;
        object Update(string path) => Capture("phone", user, session, path, "update_cart_quantity");

        // Three updates queued during 20 minutes offline, then two live ones: five, but not within ten minutes.
        await RunPlanAsync(Clock(-20 * 60_000), Update("/cart"), Update("/cart"), Update("/cart"), Clock(0), Flush("phone"), Update("/cart"), Update("/cart"), Flush("phone"));
        var context = await ContextAsync(user, 5);
        Assert.DoesNotContain("excessive_cart_updates", ContextReader.PatternCodes(context));

        // Three more live updates: five within ten minutes now.
        await RunPlanAsync(Update("/cart"), Update("/cart"), Update("/cart"), Flush("phone"));
        var after = await ContextReader.WaitForAsync(gateway.Node.CreateClient(), user,
            c => ContextReader.EventCount(c) == 8 && ContextReader.PatternCodes(c).Contains("excessive_cart_updates"), timeoutMs: 60_000);
        Assert.Equal(3, Events(after).Count(e => DateTimeOffset.UtcNow - Time(e) > TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public async Task Two_devices_with_different_skews_interleave_by_real_time()
    {
        var user = NewUser("twodev");
        // A laptop 3 hours fast and a phone 2 days slow, used in turns; each sends its queue at the end.
        // The sleeps are what is tested, not waits for something: real time passing between the turns,
        // which the corrected times must reproduce. Each gap must exceed the difference between the two
        // flush requests' network delays (the only error left after the skew correction); 3 s is far
        // above that even on a loaded machine.
        const int Gap = 3000;
        await RunPlanAsync(
            Clock(3 * Hour), Capture("laptop", user, "s-laptop-" + user, "/laptop-1"), Sleep(Gap),
            Clock(-48 * Hour), Capture("phone", user, "s-phone-" + user, "/phone-1"), Sleep(Gap),
            Clock(3 * Hour), Capture("laptop", user, "s-laptop-" + user, "/laptop-2"), Sleep(Gap),
            Clock(-48 * Hour), Capture("phone", user, "s-phone-" + user, "/phone-2"),
            Clock(3 * Hour), Flush("laptop"),
            Clock(-48 * Hour), Flush("phone"));

        // As sent, the phone's events would come two days first and the laptop's three hours in the future.
        var context = await ContextAsync(user, 4);
        Assert.Equal(["/laptop-1", "/phone-1", "/laptop-2", "/phone-2"], Paths(context));
    }
}
