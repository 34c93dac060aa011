using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Api;

/// <summary><c>POST /rules/backtest</c> over real HTTP: events sent through the gateway, then replayed from storage.</summary>
[Collection(ApiCollection.Name)]
public sealed class RuleBacktestTests(GatewayFixture gateway)
{
    private const string CheckoutRule = """{"code":"it_checkout","severity":"LOW","description":"Clicked checkout","filter":{"semantic_contains":"checkout"}}""";

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ");

    [Fact]
    public async Task A_backtest_replays_the_periods_stored_sessions_and_answers_the_hand_computed_counts()
    {
        using var http = gateway.Node.CreateClient();
        // Two hundred days back: no other test of the shared gateway sends events there.
        var day = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddDays(-200);
        var run = Guid.NewGuid().ToString("N")[..8];
        string a = $"bt-a-{run}", b = $"bt-b-{run}", c = $"bt-c-{run}";
        JsonObject[] events =
        [
            Click(a, $"a1-{run}", day.AddHours(10), "/cart", "Checkout"),                 // a1 matches on day 0
            Pageview(a, $"a1-{run}", day.AddHours(10).AddMinutes(1), "/thanks"),
            Pageview(a, $"a2-{run}", day.AddDays(1).AddHours(12), "/home"),               // a2: no match
            Pageview(b, $"b1-{run}", day.AddDays(2).AddSeconds(-60), "/cart"),
            Click(b, $"b1-{run}", day.AddDays(2).AddSeconds(30), "/cart", "Checkout"),    // b1 matches on day 2
            Click(c, $"c1-{run}", day.AddDays(3), "/cart", "Checkout"),                   // at "to": outside
        ];
        foreach (var e in events)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/ingest", Envelope(e))).StatusCode);
        }
        await ContextReader.WaitUntilAsync(
            async () => await gateway.Db.ScalarAsync($"SELECT count(*) FROM enriched_event WHERE user_id LIKE 'bt-%-{run}'") == events.Length,
            "the six events to be stored as enriched events");

        var response = await http.PostAsync("/rules/backtest",
            Body($$"""{"rule":{{CheckoutRule}},"from":"{{Time(day)}}","to":"{{Time(day.AddDays(3))}}"}"""));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var r = JsonDocument.Parse(text).RootElement;
        Assert.Equal("it_checkout", r.GetProperty("rule_code").GetString());
        Assert.Equal(5, r.GetProperty("events_scanned").GetInt64());
        Assert.Equal(3, r.GetProperty("sessions_total").GetInt64());
        Assert.Equal(2, r.GetProperty("sessions_matched").GetInt64());
        Assert.Equal(2, r.GetProperty("users_total").GetInt64());
        Assert.Equal(2, r.GetProperty("users_matched").GetInt64());
        Assert.Equal(0.666667, r.GetProperty("share").GetDouble(), 6);
        Assert.True(r.GetProperty("elapsed_ms").GetDouble() >= 0);
        var days = r.GetProperty("matches_per_day").EnumerateArray().Select(d => (d.GetProperty("day").GetString(), d.GetProperty("sessions").GetInt64()));
        Assert.Equal([(day.ToString("yyyy-MM-dd"), 1L), (day.AddDays(2).ToString("yyyy-MM-dd"), 1L)], days);

        var examples = r.GetProperty("examples").EnumerateArray().ToList();
        Assert.Equal([$"a1-{run}", $"b1-{run}"], examples.Select(x => x.GetProperty("session_id").GetString()));
        var first = examples[0];
        Assert.Equal(a, first.GetProperty("user_id").GetString());
        Assert.Equal(day.AddHours(10), first.GetProperty("first_seen").GetDateTimeOffset());
        Assert.Equal(day.AddHours(10), first.GetProperty("matched_at").GetDateTimeOffset());
        Assert.Equal(2, first.GetProperty("session_events").GetInt32());
        Assert.Equal(1, first.GetProperty("evidence_event_ids").GetArrayLength());
        Assert.Equal($"/insights?user={a}&project=1", first.GetProperty("inspector_url").GetString());
        Assert.Equal(day.AddDays(2).AddSeconds(30), examples[1].GetProperty("last_seen").GetDateTimeOffset());
    }

    [Fact]
    public async Task Without_a_period_the_last_seven_days_are_replayed()
    {
        using var http = gateway.Node.CreateClient();
        var before = DateTimeOffset.UtcNow;

        var response = await http.PostAsync("/rules/backtest", Body($$"""{"rule":{{CheckoutRule}}}"""));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var r = JsonDocument.Parse(text).RootElement;
        var to = r.GetProperty("to").GetDateTimeOffset();
        Assert.InRange(to, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(to.AddDays(-7), r.GetProperty("from").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_413_naming_it()
    {
        using var http = gateway.Node.CreateClient();
        var padding = new string(' ', 70 * 1024);

        var response = await http.PostAsync("/rules/backtest", Body("{\"rule\":" + CheckoutRule + padding + "}"));

        await ProblemAssert.ProblemAsync(response, 413, "body", "a 70 KiB body");
    }

    [Theory]
    [InlineData("""{"rule":RULE,"from":"2026-01-02T00:00:00Z","to":"2026-01-02T00:00:00Z"}""", "from")]
    [InlineData("""{"rule":RULE,"from":"2026-01-03T00:00:00Z","to":"2026-01-02T00:00:00Z"}""", "from")]
    [InlineData("""{"rule":RULE,"from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"}""", "from")]
    [InlineData("""{"rule":RULE,"from":"last week"}""", "from")]
    [InlineData("""{"rule":RULE,"from":20260101}""", "from")]
    [InlineData("""{"rule":RULE,"to":"tomorrow"}""", "to")]
    [InlineData("""{"from":"2026-01-01T00:00:00Z"}""", "rule")]
    [InlineData("""{"rule":[]}""", "rule")]
    [InlineData("""{"rule":{"code":"x","severity":"LOW","description":"d","filter":{"semantic_containz":"x"}}}""", "rule.filter.semantic_containz")]
    [InlineData("""{"rule":{"severity":"LOW","description":"d","filter":{"semantic_contains":"x"}}}""", "rule.code")]
    [InlineData("""{"rule":{"code":"x","severity":"URGENT","description":"d","filter":{"semantic_contains":"x"}}}""", "rule.severity")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""{"rule": """, "body")]
    [InlineData("", "body")]
    public async Task Bad_requests_are_400_naming_the_field(string body, string field)
    {
        using var http = gateway.Node.CreateClient();

        var response = await http.PostAsync("/rules/backtest", Body(body.Replace("RULE", CheckoutRule, StringComparison.Ordinal)));

        await ProblemAssert.ProblemAsync(response, 400, field, body);
    }
}
