using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>
/// <c>previous_sessions</c> over real HTTP: a user with six closed sessions, of which the grain keeps
/// the latest and four more; the default three come from memory, ten from storage (the forgotten
/// first session can only come from there).
/// </summary>
public sealed class PreviousSessionsTests
{
    [Fact]
    public async Task Previous_sessions_list_the_right_ones_from_memory_and_from_storage()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        var env = db.NodeEnvironment();
        // Sessions close 2 s after their last event arrives, so all six close while the test waits.
        env["Insights__SessionIdleTimeout"] = "00:00:02";
        // One node: the grain answers, however loaded the machine (no storage fallback after 2 s).
        env["Grains__ContextFallbackAfter"] = "00:01:00";
        await using var node = await NodeProcess.StartGatewayAsync(env);
        using var http = node.CreateClient();
        const string user = "user-history";
        var t0 = DateTimeOffset.UtcNow.AddDays(-8);
        for (var i = 1; i <= 6; i++)
        {
            var start = t0.AddDays(i);
            await PostAsync(http, Pageview(user, $"s-{i}", start, $"/p{i}"));
            await PostAsync(http, Click(user, $"s-{i}", start.AddSeconds(30 * i), "/cart", "Details"));
            if (i == 3)
            {
                await PostAsync(http, Rage(user, "s-3", start.AddSeconds(100), "/checkout", "Checkout"));
            }
        }

        // All six closed: the grain has dropped s-1 from memory (it keeps the latest and four closed ones).
        var all = await ContextReader.GetJsonUntilAsync(http, $"/session/context/{user}?previous_sessions=10", c =>
            c.GetProperty("last_session").ValueKind == JsonValueKind.Object
            && !c.GetProperty("last_session").GetProperty("is_active").GetBoolean()
            && c.GetProperty("previous_sessions").GetArrayLength() == 5
            && c.GetProperty("previous_sessions").EnumerateArray().All(s => s.GetProperty("ended_at").ValueKind == JsonValueKind.String));
        Assert.Equal("s-6", all.GetProperty("last_session").GetProperty("session_id").GetString());
        Assert.Equal(["s-5", "s-4", "s-3", "s-2", "s-1"], Ids(all));

        var (memory, source) = await GetAsync(http, $"/session/context/{user}");
        Assert.Equal("grain", source);
        Assert.Equal(["s-5", "s-4", "s-3"], Ids(memory));
        var s3 = memory.GetProperty("previous_sessions")[2];
        Assert.Equal(t0.AddDays(3).UtcDateTime, s3.GetProperty("started_at").GetDateTime(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(100, s3.GetProperty("duration_seconds").GetDouble(), 0.01);
        Assert.Equal((1, 3), (s3.GetProperty("page_views_count").GetInt32(), s3.GetProperty("event_count").GetInt32()));
        Assert.Equal(("/p3", "/checkout"), (s3.GetProperty("first_page").GetString(), s3.GetProperty("last_page").GetString()));
        Assert.StartsWith("Viewed 1 page", s3.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("checkout_button_rage_click", s3.GetProperty("patterns").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
        Assert.All(s3.GetProperty("patterns").EnumerateArray(), p => Assert.False(p.TryGetProperty("evidence", out _)));
        // The same sessions read alike from memory and through storage.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(memory.GetProperty("previous_sessions")[i].GetRawText(), all.GetProperty("previous_sessions")[i].GetRawText());
        }

        var (none, _) = await GetAsync(http, $"/session/context/{user}?previous_sessions=0");
        Assert.Equal(0, none.GetProperty("previous_sessions").GetArrayLength());
        Assert.Equal(
            ContextReader.WithoutGeneratedAt(memory.ToString()).Replace(memory.GetProperty("previous_sessions").GetRawText(), "[]", StringComparison.Ordinal),
            ContextReader.WithoutGeneratedAt(none.ToString()));

        var text = await http.GetStringAsync($"/session/context/{user}?format=text&previous_sessions=4");
        var block = text[text.IndexOf("Previous sessions (newest first):\n", StringComparison.Ordinal)..].Split('\n');
        Assert.Equal(4, block.Skip(1).TakeWhile(l => l.StartsWith('-')).Count());
        Assert.Contains("  patterns: checkout_button_rage_click", block[3], StringComparison.Ordinal);
        Assert.StartsWith("Recent events", block[5], StringComparison.Ordinal);

        // A budget: the 3 events beyond the newest 10 go first, then the oldest previous sessions.
        using var whole = await http.GetAsync($"/session/context/{user}?format=text&previous_sessions=5&tokenizer=o200k_base");
        Assert.Equal("0", whole.Headers.GetValues("X-Context-Previous-Sessions-Dropped").Single());
        var budget = int.Parse(whole.Headers.GetValues("X-Context-Tokens").Single(), System.Globalization.CultureInfo.InvariantCulture) - 100;
        using var trimmed = await http.GetAsync($"/session/context/{user}?format=text&previous_sessions=5&max_tokens={budget}");
        var trimmedText = await trimmed.Content.ReadAsStringAsync();
        Assert.Equal("3", trimmed.Headers.GetValues("X-Context-Events-Dropped").Single());
        var previousDropped = int.Parse(trimmed.Headers.GetValues("X-Context-Previous-Sessions-Dropped").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(previousDropped, 1, 4);
        Assert.Contains($"Previous sessions (newest {5 - previousDropped} of 5):", trimmedText, StringComparison.Ordinal);
        Assert.Contains("Recent events (newest 10 of 13, oldest first):", trimmedText, StringComparison.Ordinal);

        foreach (var bad in new[] { "11", "-1", "x", "2.5" })
        {
            await ProblemAssert.ProblemAsync(await http.GetAsync($"/session/context/{user}?previous_sessions={bad}"), 400, "previous_sessions", bad);
        }
    }

    private static List<string> Ids(JsonElement context) =>
        [.. context.GetProperty("previous_sessions").EnumerateArray().Select(s => s.GetProperty("session_id").GetString()!)];

    private static async Task PostAsync(HttpClient http, System.Text.Json.Nodes.JsonObject evt) =>
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/ingest", Envelope(evt))).StatusCode);

    private static async Task<(JsonElement Context, string Source)> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return (JsonDocument.Parse(body).RootElement.Clone(), response.Headers.GetValues("X-Context-Source").Single());
    }
}
