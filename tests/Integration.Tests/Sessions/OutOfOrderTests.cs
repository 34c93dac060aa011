using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Sessions;

/// <summary>
/// SPEC §5: events arrive out of order (PostHog batches and retries), yet readers see them in
/// timestamp order, from the grain's memory and from its merge with storage (a read larger than the
/// recent events it keeps, here 5).
/// </summary>
public sealed class OutOfOrderTests
{
    private const int Events = 30;
    private const int Kept = 5;

    [Fact]
    public async Task Shuffled_timestamps_are_read_in_timestamp_order_from_memory_and_storage()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        var env = db.NodeEnvironment();
        env["Insights__RecentEventsCapacity"] = Kept.ToString();
        // Reads must come from the grain (memory + storage merge), not the storage fallback.
        env["Grains__ContextFallbackAfter"] = "00:01:00";
        await using var node = await NodeProcess.StartGatewayAsync(env);
        using var http = node.CreateClient();
        const string user = "user-shuffled";
        const string session = "s-shuffled";
        var now = DateTimeOffset.UtcNow;
        var t0 = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddMinutes(-10);
        // A fixed shuffle, the latest event first: every other one arrives after a later one.
        var order = Enumerable.Range(0, Events - 1).ToArray();
        new Random(15).Shuffle(order);
        order = [Events - 1, .. order];

        foreach (var i in order)
        {
            var response = await http.PostAsJsonAsync("/ingest", Envelope(Pageview(user, session, t0.AddSeconds(10 * i), $"/step-{i}")));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // All of them, more than memory keeps: storage's rows merged with what is not committed yet.
        var all = await WaitForAsync(http, user, Events);
        AssertInTimestampOrder(all, Enumerable.Range(0, Events), t0, order);
        // The latest few, from memory alone; and a read between both.
        AssertInTimestampOrder(await ReadAsync(http, user, Kept), Enumerable.Range(Events - Kept, Kept), t0, order);
        AssertInTimestampOrder(await ReadAsync(http, user, 12), Enumerable.Range(Events - 12, 12), t0, order);

        // Once everything is committed the merge reads it all from storage, still in order.
        await ContextReader.WaitUntilAsync(async () => await db.CountAsync("enriched_event") == Events, "every event committed", 60000);
        AssertInTimestampOrder(await ReadAsync(http, user, Events), Enumerable.Range(0, Events), t0, order);

        var view = await SessionReader.WaitForAsync(http, session, s => SessionReader.EventCount(s) == Events, eventsLimit: Events);
        var row = SessionReader.Row(view);
        Assert.Equal(t0, row.GetProperty("started_at").GetDateTimeOffset());
        Assert.Equal(t0.AddSeconds(10 * (Events - 1)), row.GetProperty("last_activity_at").GetDateTimeOffset());
        Assert.Equal("/step-0", row.GetProperty("first_page").GetString());
        Assert.Equal($"/step-{Events - 1}", row.GetProperty("last_page").GetString());
        Assert.Equal(
            Enumerable.Range(0, Events).Select(i => $"/step-{i}"),
            view.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("page_path").GetString()));
    }

    /// <summary>The events are exactly <paramref name="expected"/> in timestamp order, each numbered by its arrival.</summary>
    private static void AssertInTimestampOrder(JsonElement context, IEnumerable<int> expected, DateTimeOffset t0, int[] order)
    {
        var events = context.GetProperty("recent_events").EnumerateArray().ToList();
        var want = expected.ToList();
        Assert.Equal(want.Select(i => $"/step-{i}"), events.Select(e => e.GetProperty("page_path").GetString()));
        Assert.Equal(want.Select(i => t0.AddSeconds(10 * i)), events.Select(e => e.GetProperty("timestamp").GetDateTimeOffset()));
        Assert.Equal(want.Select(i => Array.IndexOf(order, i) + 1), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
    }

    private static async Task<JsonElement> ReadAsync(HttpClient http, string user, int limit)
    {
        var response = await http.GetAsync($"/session/context/{user}?recent_events_limit={limit}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("grain", response.Headers.GetValues("X-Context-Source").Single());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient http, string user, int count)
    {
        JsonElement last = default;
        await ContextReader.WaitUntilAsync(async () =>
        {
            last = await ReadAsync(http, user, count);
            return ContextReader.EventCount(last) == count;
        }, () => $"{count} events in the context of {user}; last: {last}", 60000);
        return last;
    }
}
