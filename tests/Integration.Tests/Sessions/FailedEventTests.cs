using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Sessions;

/// <summary>
/// Events the domain rejects when the user grain applies them: retried automatically, then
/// DEAD_LETTER with the reason, listed by <c>GET /events/failed</c>, never blocking the user's other
/// events, and retried for real.
/// </summary>
/// <remarks>
/// The rejected input is real: a property that a client cut in the middle of an emoji (JavaScript
/// strings are UTF-16, and <c>JSON.stringify</c> writes the lone half as <c>\ud83d</c>). That is valid
/// JSON, so the gateway stores it; enrichment cannot read the text (an InvalidOperationException, which
/// may be transient: retried 3 times, 1 s, 2 s and 4 s apart), so the grain makes it a dead letter.
/// </remarks>
public sealed class FailedEventTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task An_event_the_domain_rejects_is_listed_failed_with_its_reason_and_blocks_nothing()
    {
        using var http = gateway.Node.CreateClient();
        var user = "user-failed-" + Guid.NewGuid().ToString("N")[..8];
        var session = "s-" + user;
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);

        await IngestAsync(http, Pageview(user, session, t0, "/"));
        var failing = await IngestCutEmojiAsync(http, user, session, t0.AddSeconds(5));
        await IngestAsync(http, Pageview(user, session, t0.AddSeconds(10), "/pricing"));
        await IngestAsync(http, Click(user, session, t0.AddSeconds(15), "/pricing", "Upgrade"));

        var entry = await WaitForFailedAsync(http, failing);
        Assert.Equal(user, entry.GetProperty("distinct_id").GetString());
        Assert.Equal("$pageview", entry.GetProperty("event_name").GetString());
        AssertSurrogateReason(entry.GetProperty("reason").GetString());
        Assert.True(entry.GetProperty("seq").GetInt64() > 0);
        Assert.True(entry.GetProperty("received_at").GetDateTimeOffset() > t0);

        // The events after it were applied as if it had never come: no gap in the sequence numbers.
        var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 3, timeoutMs: 60000);
        Assert.Equal(["Viewed home page", "Viewed pricing page", "Clicked 'Upgrade' button"], ContextReader.Labels(context));
        Assert.Equal([1, 2, 3], context.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.DoesNotContain(context.GetProperty("recent_events").EnumerateArray(), e => e.GetProperty("raw_event_id").GetString() == failing.ToString());
        var sessionView = await SessionReader.WaitForAsync(http, session, s => SessionReader.EventCount(s) == 3);
        Assert.Equal(2, SessionReader.Row(sessionView).GetProperty("page_views_count").GetInt32());

        // Storage agrees: the rejected event is a dead letter after 4 tries with the same reason, the others DONE and enriched.
        await ContextReader.WaitUntilAsync(
            async () => await gateway.Db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{user}' AND status = 'DONE'") == 3,
            "the three valid events committed DONE", 60000);
        Assert.Equal(1, await gateway.Db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE raw_event_id = '{failing}' AND status = 'DEAD_LETTER' AND attempts = 4 AND failure_reason LIKE '%surrogate%'"));
        Assert.Equal(0, await gateway.Db.ScalarAsync($"SELECT count(*) FROM enriched_event WHERE raw_event_id = '{failing}'"));
        Assert.Equal(3, await gateway.Db.ScalarAsync($"SELECT count(*) FROM enriched_event WHERE user_id = '{user}'"));

        // Inside one batch too (one delivery to the grain): the events around the rejected one go through.
        var inBatch = Guid.NewGuid();
        var batch = new JsonArray(
            Pageview(user, session, t0.AddSeconds(20), "/billing"),
            CutEmojiPageview(user, session, t0.AddSeconds(21), inBatch),
            Pageview(user, session, t0.AddSeconds(22), "/checkout"));
        var captured = await http.PostAsync("/batch", new StringContent(CutInEmoji(batch.ToJsonString()), Encoding.UTF8, "application/json"));
        Assert.True(captured.StatusCode == HttpStatusCode.OK, $"{(int)captured.StatusCode}: {await captured.Content.ReadAsStringAsync()}");
        await WaitForFailedAsync(http, inBatch);
        var after = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 5, timeoutMs: 60000);
        Assert.Equal([1, 2, 3, 4, 5], after.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.Equal(["/billing", "/checkout"], after.GetProperty("recent_events").EnumerateArray().Skip(3).Select(e => e.GetProperty("page_path").GetString()));
    }

    [Fact]
    public async Task Retrying_a_failed_event_replays_it_through_the_domain()
    {
        using var http = gateway.Node.CreateClient();
        var user = "user-retry-" + Guid.NewGuid().ToString("N")[..8];
        var session = "s-" + user;
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        var first = Pageview(user, session, t0, "/");
        await IngestAsync(http, first);
        var failing = await IngestCutEmojiAsync(http, user, session, t0.AddSeconds(5));
        await WaitForFailedAsync(http, failing);
        await ContextReader.WaitUntilAsync(() => Task.FromResult(FailureLogs(failing) == 4), () => $"four rejections of {failing} in the log (the first try and 3 retries)", 60000);
        var failedAt = await ProcessedAtAsync(failing);

        var retry = await http.PostAsync($"/insights/api/failed/{failing}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var accepted = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(user, accepted.GetProperty("distinct_id").GetString());
        Assert.Equal(failing, accepted.GetProperty("uuid").GetGuid());
        Assert.Equal("PENDING", accepted.GetProperty("status").GetString());
        // The grain applied it again and the domain rejected it again, with a fresh retry budget:
        // logged 4 more times, a dead letter again with a later processed_at and the same reason, listed once.
        await ContextReader.WaitUntilAsync(() => Task.FromResult(FailureLogs(failing) == 8), () => $"four more rejections of {failing} in the log:\n{gateway.Node.Log}", 60000);
        await ContextReader.WaitUntilAsync(
            async () => await gateway.Db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE raw_event_id = '{failing}' AND status = 'DEAD_LETTER' AND processed_at > '{failedAt:O}'") == 1,
            "the retried event a dead letter again", 60000);
        var listed = await FailedListAsync(http);
        var again = listed.FindAll(e => e.GetProperty("uuid").GetGuid() == failing);
        Assert.Single(again);
        AssertSurrogateReason(again[0].GetProperty("reason").GetString());

        // The retry disturbed nothing: the first event is there once, a later one follows it.
        await IngestAsync(http, Pageview(user, session, t0.AddSeconds(10), "/pricing"));
        var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 2, timeoutMs: 60000);
        Assert.Equal([1, 2], context.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()));
        // Only dead letters can be retried.
        var done = await http.PostAsync($"/insights/api/failed/{first["uuid"]!.GetValue<string>()}/retry", null);
        Assert.Equal(HttpStatusCode.NotFound, done.StatusCode);
    }

    /// <summary>A page view whose title was cut in the middle of "☕😀" (see <see cref="TestEvents.CutInEmoji"/>).</summary>
    private static JsonObject CutEmojiPageview(string user, string session, DateTimeOffset at, Guid uuid)
    {
        var evt = Pageview(user, session, at, "/menu", uuid);
        evt["properties"]!["title"] = CutInEmojiMarker;
        return evt;
    }

    private static async Task<Guid> IngestCutEmojiAsync(HttpClient http, string user, string session, DateTimeOffset at)
    {
        var uuid = Guid.NewGuid();
        var body = CutInEmoji(Envelope(CutEmojiPageview(user, session, at, uuid)).ToJsonString());
        var response = await http.PostAsync("/ingest", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return uuid;
    }

    private static async Task IngestAsync(HttpClient http, JsonObject evt)
    {
        var response = await http.PostAsJsonAsync("/ingest", Envelope(evt));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<JsonElement> WaitForFailedAsync(HttpClient http, Guid uuid)
    {
        JsonElement? found = null;
        await ContextReader.WaitUntilAsync(async () =>
        {
            found = (await FailedListAsync(http)).Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("uuid").GetGuid() == uuid);
            return found is not null;
        }, $"{uuid} in GET /events/failed", 60000);
        return found!.Value;
    }

    private static async Task<List<JsonElement>> FailedListAsync(HttpClient http)
    {
        var response = await http.GetAsync("/events/failed?limit=1000");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }

    private async Task<DateTimeOffset> ProcessedAtAsync(Guid uuid)
    {
        var micros = await gateway.Db.ScalarAsync($"SELECT (extract(epoch FROM processed_at) * 1000000)::bigint FROM raw_event WHERE raw_event_id = '{uuid}' AND status = 'DEAD_LETTER'");
        return DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
    }

    /// <summary>How often the grain logged that the domain rejected this event.</summary>
    private int FailureLogs(Guid uuid) => Regex.Matches(gateway.Node.Log, $@"event {uuid} failed").Count;

    private static void AssertSurrogateReason(string? reason)
    {
        Assert.NotNull(reason);
        Assert.StartsWith("InvalidOperationException: ", reason);
        Assert.Contains("surrogate", reason);
    }
}
