using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Sessions;

/// <summary>
/// "Retry all dead letters" through real HTTP (docs/ingestion.md "Events that fail"): the project's
/// <c>POST /events/dead-letters/retry</c>, the insights page's count and bulk retry, and /metrics.
/// The dead letter is real: a page view whose title was cut in an emoji, which enrichment cannot read.
/// </summary>
public sealed partial class DeadLetterRetryTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Retrying_all_dead_letters_replays_them_and_they_come_back_after_their_retries()
    {
        using var http = gateway.Node.CreateClient();
        var user = "user-dead-" + Guid.NewGuid().ToString("N")[..8];
        var failing = Guid.NewGuid();
        var evt = Pageview(user, "s-" + user, DateTimeOffset.UtcNow.AddMinutes(-1), "/menu", failing);
        evt["properties"]!["title"] = CutInEmojiMarker;
        var ingest = await http.PostAsync("/ingest", new StringContent(CutInEmoji(Envelope(evt).ToJsonString()), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);

        // The first try and 3 automatic retries, then a dead letter with its attempts.
        var dead = await WaitForDeadLetterAsync(http, failing);
        Assert.Equal(4, dead.GetProperty("attempts").GetInt32());
        Assert.Equal("DEAD_LETTER", dead.GetProperty("status").GetString());
        Assert.Equal(1, (await http.GetFromJsonAsync<JsonElement>("/insights/api/dead-letters")).GetProperty("count").GetInt64());
        Assert.Equal(4, Tries(failing));

        var retry = await http.PostAsync("/events/dead-letters/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var result = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 1), (result.GetProperty("retried").GetInt64(), result.GetProperty("users").GetInt32()));
        // Still broken (nothing was fixed): a fresh budget of retries, then a dead letter again.
        await ContextReader.WaitUntilAsync(() => Task.FromResult(Tries(failing) == 8), () => $"4 more tries of {failing}:\n{gateway.Node.Log}");
        dead = await WaitForDeadLetterAsync(http, failing);
        Assert.Equal(4, dead.GetProperty("attempts").GetInt32());
        Assert.Equal(1, await gateway.Db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE raw_event_id = '{failing}' AND status = 'DEAD_LETTER' AND attempts = 4"));

        // The operators' bulk retry (all projects) does the same.
        var all = await http.PostAsync("/insights/api/dead-letters/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, all.StatusCode);
        Assert.Equal(1, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retried").GetInt64());
        await ContextReader.WaitUntilAsync(() => Task.FromResult(Tries(failing) == 12), () => $"4 more tries of {failing}:\n{gateway.Node.Log}");

        var metrics = await http.GetStringAsync("/metrics");
        Assert.True(Counter(metrics, "si_events_dead_lettered_total") >= 2, metrics);
        Assert.True(Counter(metrics, "si_events_retried_total") >= 9, metrics);
    }

    private int Tries(Guid uuid) => Regex.Matches(gateway.Node.Log, $@"event {uuid} failed").Count;

    private static double Counter(string metrics, string name) =>
        CounterLine().Matches(metrics).Where(m => m.Groups["name"].Value == name).Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(?m)^(?<name>si_[a-z_]+)(\{[^}]*\})? (?<value>[0-9.e+]+)")]
    private static partial Regex CounterLine();

    private static async Task<JsonElement> WaitForDeadLetterAsync(HttpClient http, Guid uuid)
    {
        JsonElement? found = null;
        await ContextReader.WaitUntilAsync(async () =>
        {
            found = (await http.GetFromJsonAsync<JsonElement>("/events/failed")).EnumerateArray().Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("uuid").GetGuid() == uuid);
            return found is not null;
        }, $"{uuid} listed as a dead letter");
        return found!.Value;
    }
}
