using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Security;

/// <summary>
/// The rules API on a secured gateway (PostgreSQL, keys required): validation through the rule parser,
/// versions and history, a project's rules are its own, and a change applies without a restart.
/// </summary>
public sealed class RulesApiTests(SecuredGateway gateway) : IClassFixture<SecuredGateway>
{
    private const string Valid = """{"code":"api_rule","description":"Clicked buy","severity":"LOW","filter":{"semantic_contains":"buy"}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string WithCode(string code, string severity = "LOW", string contains = "buy") =>
        $$$"""{"code":"{{{code}}}","description":"Clicked {{{contains}}}","severity":"{{{severity}}}","filter":{"semantic_contains":"{{{contains}}}"}}""";

    public static TheoryData<string, string, string?> BadRules => new()
    {
        { "not json", "rule", null },
        { "[]", "rule", null },
        { """{"description":"d","severity":"LOW","filter":{"semantic_contains":"a"}}""", "code", null },
        { """{"code":"c1","severity":"LOW","filter":{"semantic_contains":"a"}}""", "description", "'c1'" },
        { """{"code":"c1","description":"d","severity":"LOUD","filter":{"semantic_contains":"a"}}""", "severity", "'c1'" },
        { """{"code":"c1","description":"d","severity":"LOW","colour":"red","filter":{"semantic_contains":"a"}}""", "colour", "'c1'" },
        { """{"code":"c1","description":"d","severity":"LOW","filter":{"text":"a"}}""", "filter.text", "'c1'" },
        { """{"code":"c1","description":"d","severity":"LOW","filter":{}}""", "filter", "'c1'" },
        { """{"code":"c1","description":"d","severity":"LOW"}""", "filter", "'c1'" },
        { """{"code":"c1","description":"d","severity":"LOW","filter":{"semantic_contains":"a"},"min_count":0}""", "min_count", "'c1'" },
        { """{"code":"c1","description":"d","severity":"LOW","filter":{"semantic_contains":"a"},"min_count":"3"}""", "min_count", "'c1'" },
        { """{"code":"c1","description":"d","severity":"LOW","filter":{"semantic_contains":"a"},"time_window_seconds":-1}""", "time_window_seconds", "'c1'" },
        { """{"code":"c1","description":"d","severity":"LOW","filter":{"semantic_contains":"a"},"negative_time_window_seconds":60}""", "negative_time_window_seconds", "'c1'" },
        { """{"code":"c1","description":"d","severity":"LOW","session_filter":{"min_events":5,"max_events":2}}""", "session_filter.max_events", "'c1'" },
        { """{"code":"has space","description":"d","severity":"LOW","filter":{"semantic_contains":"a"}}""", "code", null },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public async Task An_invalid_rule_is_400_naming_the_field_and_the_rule_and_nothing_changes(string body, string field, string? namesRule)
    {
        using var http = gateway.ClientOf(gateway.Beta);
        var before = (await http.GetFromJsonAsync<JsonElement>("/rules")).GetProperty("version").GetInt64();

        var response = await http.PostAsync("/rules", Json(body));

        await ProblemAssert.ProblemAsync(response, 400, field, body);
        if (namesRule is not null)
        {
            var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
            Assert.Contains(namesRule, detail, StringComparison.Ordinal);
        }
        Assert.Equal(before, (await http.GetFromJsonAsync<JsonElement>("/rules")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Every_change_is_a_version_with_history_and_the_api_answers_each_mistake_clearly()
    {
        using var http = gateway.ClientOf(gateway.Alpha);
        var code = "hist_" + Guid.NewGuid().ToString("N")[..8];
        var start = (await http.GetFromJsonAsync<JsonElement>("/rules")).GetProperty("version").GetInt64();

        var created = await http.PostAsync("/rules", Json(WithCode(code)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/rules/{code}", created.Headers.Location?.OriginalString);
        await ProblemAssert.ProblemAsync(await http.PostAsync("/rules", Json(WithCode(code, "HIGH"))), 409, "code", "a second create of the same code");
        await ProblemAssert.ProblemAsync(await http.PutAsync($"/rules/{code}", Json(WithCode("other_code"))), 400, "code", "a body naming another code");
        await ProblemAssert.ProblemAsync(await http.PutAsync("/rules/never_made", Json(WithCode("never_made"))), 404, "code", "an update of an unknown rule");
        await ProblemAssert.ProblemAsync(await http.PostAsync("/rules/never_made/enable", null), 404, "code", "enabling an unknown rule");

        Assert.True((await (await http.PutAsync($"/rules/{code}", Json(WithCode(code, "HIGH")))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("written").GetBoolean());
        var again = await (await http.PutAsync($"/rules/{code}", Json(WithCode(code, "HIGH")))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(again.GetProperty("written").GetBoolean());
        Assert.True((await (await http.PostAsync($"/rules/{code}/disable", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("written").GetBoolean());
        Assert.False((await (await http.PostAsync($"/rules/{code}/disable", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("written").GetBoolean());
        Assert.True((await (await http.PostAsync($"/rules/{code}/enable", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("written").GetBoolean());

        var one = await http.GetFromJsonAsync<JsonElement>($"/rules/{code}");
        Assert.Equal("HIGH", one.GetProperty("current").GetProperty("rule").GetProperty("severity").GetString());
        Assert.True(one.GetProperty("current").GetProperty("enabled").GetBoolean());
        var history = one.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["create", "update", "disable", "enable"], history.Select(h => h.GetProperty("change").GetString()));
        Assert.Equal(Enumerable.Range(1, 4).Select(i => start + i), history.Select(h => h.GetProperty("version").GetInt64()));
        Assert.All(history, h => Assert.StartsWith("key ", h.GetProperty("changed_by").GetString(), StringComparison.Ordinal));
        Assert.All(history, h => Assert.EndsWith("Z", h.GetProperty("changed_at").GetString(), StringComparison.Ordinal));
        Assert.Equal("LOW", history[0].GetProperty("rule").GetProperty("severity").GetString());

        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"/rules/{code}")).StatusCode);
        await ProblemAssert.ProblemAsync(await http.GetAsync($"/rules/{code}"), 404, "code", "a deleted rule");
        await ProblemAssert.ProblemAsync(await http.DeleteAsync($"/rules/{code}"), 404, "code", "deleting twice");
        var list = await http.GetFromJsonAsync<JsonElement>("/rules");
        Assert.Equal(start + 5, list.GetProperty("version").GetInt64());
        Assert.DoesNotContain(code, list.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_projects_rules_are_its_own_and_need_its_key()
    {
        using var alpha = gateway.ClientOf(gateway.Alpha);
        using var beta = gateway.ClientOf(gateway.Beta);
        var code = "own_" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await alpha.PostAsync("/rules", Json(WithCode(code)))).StatusCode);

        Assert.Contains(code, (await alpha.GetFromJsonAsync<JsonElement>("/rules")).GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        Assert.DoesNotContain(code, (await beta.GetFromJsonAsync<JsonElement>("/rules")).GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        await ProblemAssert.ProblemAsync(await beta.DeleteAsync($"/rules/{code}"), 404, "code", "another project's rule");

        using var none = gateway.Client(null);
        using var revoked = gateway.Client("Bearer " + gateway.RevokedKey);
        using var capture = gateway.Client("Bearer " + gateway.Alpha.CaptureToken);
        foreach (var client in new[] { none, revoked, capture })
        {
            await ProblemAssert.ProblemAsync(await client.GetAsync("/rules"), 401, "Authorization", "reading rules without a secret key");
            await ProblemAssert.ProblemAsync(await client.PostAsync("/rules", Json(Valid)), 401, "Authorization", "writing rules without a secret key");
        }
    }

    [Fact]
    public async Task A_new_rule_applies_to_a_live_user_at_once_and_disabling_it_takes_it_out_of_the_context()
    {
        using var http = gateway.ClientOf(gateway.Beta);
        var code = "live_" + Guid.NewGuid().ToString("N")[..8];
        var user = "rules-live-" + Guid.NewGuid().ToString("N")[..8];
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        Assert.True((await http.PostAsJsonAsync("/ingest", Envelope(Click(user, $"s-{user}", at, "/shop", "Zebra one")))).IsSuccessStatusCode);
        await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 1);

        var created = await (await http.PostAsync("/rules", Json(WithCode(code, contains: "zebra")))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((await http.PostAsJsonAsync("/ingest", Envelope(Click(user, $"s-{user}", at.AddSeconds(1), "/shop", "Zebra two")))).IsSuccessStatusCode);
        // One gateway: the write refreshed this process's rules before it answered, so the next event uses them.
        var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 2);
        var pattern = context.GetProperty("patterns").EnumerateArray().Single(p => p.GetProperty("code").GetString() == code);
        // It starts from the change on: the event before it does not count.
        Assert.Equal(1, pattern.GetProperty("evidence").GetProperty("count").GetInt32());
        var read = await http.GetAsync($"/session/context/{user}");
        Assert.Equal(created.GetProperty("version").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), read.Headers.GetValues("X-Rules-Version").Single());

        Assert.True((await http.PostAsync($"/rules/{code}/disable", null)).IsSuccessStatusCode);
        Assert.DoesNotContain(code, ContextReader.PatternCodes(await ContextReader.GetAsync(http, user)));
    }

    [Fact]
    public async Task A_saved_rule_backtests_over_the_projects_stored_events_and_an_unknown_one_is_404()
    {
        using var http = gateway.ClientOf(gateway.Beta);
        var code = "saved_" + Guid.NewGuid().ToString("N")[..8];
        var word = "Quokka" + Guid.NewGuid().ToString("N")[..6];
        var at = DateTimeOffset.UtcNow.AddHours(-2);
        var users = new[] { "bt-a-" + word, "bt-b-" + word };
        foreach (var user in users)
        {
            Assert.True((await http.PostAsJsonAsync("/ingest", Envelope(Click(user, $"s-{user}", at, "/shop", word)))).IsSuccessStatusCode);
        }
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/rules", Json(WithCode(code, contains: word.ToLowerInvariant())))).StatusCode);
        // Disabled rules can be backtested too (that is how one tries a change before switching it on).
        Assert.True((await http.PostAsync($"/rules/{code}/disable", null)).IsSuccessStatusCode);

        JsonElement result = default;
        await ContextReader.WaitUntilAsync(async () =>
        {
            // The default period (the last 7 days); the events are stored once the grains commit.
            var response = await http.PostAsync($"/rules/{code}/backtest", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            result = await response.Content.ReadFromJsonAsync<JsonElement>();
            return result.GetProperty("sessions_matched").GetInt64() == 2;
        }, () => $"a backtest finding both sessions; last: {result}");
        Assert.Equal(code, result.GetProperty("rule_code").GetString());
        Assert.Equal(2, result.GetProperty("users_matched").GetInt64());
        Assert.Equal(users.Order(), result.GetProperty("examples").EnumerateArray().Select(e => e.GetProperty("user_id").GetString()).Order());

        var period = await http.PostAsync($"/rules/{code}/backtest", Json("""{"from":"2026-01-01T00:00:00Z","to":"2026-03-01T00:00:00Z"}"""));
        await ProblemAssert.ProblemAsync(period, 400, "from", "a period over 30 days");
        await ProblemAssert.ProblemAsync(await http.PostAsync("/rules/never_made/backtest", null), 404, "code", "backtesting an unknown rule");
        using var alpha = gateway.ClientOf(gateway.Alpha);
        await ProblemAssert.ProblemAsync(await alpha.PostAsync($"/rules/{code}/backtest", null), 404, "code", "another project's rule");
    }
}
