using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using SessionInsights.Integration.Tests.Sdk;
using Xunit.Abstractions;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Dashboard;

/// <summary>
/// The Rules page (/insights/rules) in headless Chromium against a real gateway on PostgreSQL, with
/// a rule that fires for a few users: the list shows its firings; switching it off and on, an invalid
/// draft's inline error, a saved change with its diff, a backtest of the draft whose example sessions
/// open the user inspector (tests/sdk/browse-rules.mjs). The test then
/// reads through the APIs what the page did. Saves rules-page.png in the test output folder
/// (docs/rules-page.png is such a screenshot).
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class RulesPageBrowserTests(ITestOutputHelper output)
{
    private const int Users = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_rules_page_lists_firings_toggles_validates_saves_and_shows_the_diff()
    {
        var sdk = Path.Combine(CommandRunner.RepoRoot, "tests", "sdk");
        await CommandRunner.RunAsync(sdk, TimeSpan.FromMinutes(10), "bash", "install-browser.sh");

        await using var db = await StorageBackend.CreateAsync("postgres");
        await using var node = await NodeProcess.StartGatewayAsync(db.NodeEnvironment());
        using var http = node.CreateClient();

        // A rule of the test's own, then traffic that makes it fire once per user (and some seed rules besides).
        const string code = "zebra_click";
        var rule = """{"code":"zebra_click","description":"Clicked a zebra","severity":"MEDIUM","filter":{"semantic_contains":"zebra"}}""";
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/rules", new StringContent(rule, Encoding.UTF8, "application/json"))).StatusCode);
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var u = 0; u < Users; u++)
        {
            var (user, session) = ($"rules-user-{u}", $"rules-s-{u}");
            foreach (var evt in new[]
            {
                Pageview(user, session, at, "/pricing"),
                Click(user, session, at.AddSeconds(5), "/shop", "Zebra print"),
                Rage(user, session, at.AddSeconds(9), "/pricing", "$49 / month"),
                Click(user, session, at.AddSeconds(12), "/products", "Add to Cart"),
            })
            {
                Assert.True((await http.PostAsJsonAsync("/ingest", Envelope(evt))).IsSuccessStatusCode);
            }
        }
        var listed = await WaitForAsync(http, "/insights/api/rules", l => Fired(l, code).Hour == Users);
        Assert.True(listed.GetProperty("firings_known").GetBoolean());
        Assert.Equal(Users, Fired(listed, code).Day);

        // The dashboard's validation is the API's: the same 400 naming the field; a bad or unknown project is refused.
        await ProblemAssert.ProblemAsync(await http.PostAsync("/insights/api/rules/validate", new StringContent(rule.Replace("MEDIUM", "LOUD", StringComparison.Ordinal))), 400, "severity", "a draft with a bad severity");
        await ProblemAssert.ProblemAsync(await http.GetAsync("/insights/api/rules?project=0"), 400, "project", "project 0");
        await ProblemAssert.ProblemAsync(await http.PostAsync("/insights/api/rules/any/disable?project=999", null), 404, "project", "a project that does not exist");
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/insights/api/rules/validate", new StringContent(rule))).StatusCode);
        await ProblemAssert.ProblemAsync(await http.PostAsync("/insights/api/rules/backtest", new StringContent($$"""{"rule":{{rule.Replace("MEDIUM", "LOUD", StringComparison.Ordinal)}}}""", Encoding.UTF8, "application/json")), 400, "rule.severity", "a backtest of a bad draft");

        var shot = Path.Combine(AppContext.BaseDirectory, "rules-page.png");
        File.Delete(shot);
        var seen = await CommandRunner.RunAsync(sdk, TimeSpan.FromMinutes(8), "node", "browse-rules.mjs", node.BaseAddress!.ToString().TrimEnd('/'), code, shot);
        output.WriteLine(seen);
        Assert.Contains("\"ok\":true", seen, StringComparison.Ordinal);
        Assert.Contains("\"apiEnabledAfterOff\":false", seen, StringComparison.Ordinal);
        Assert.Contains("\"apiEnabledAfterOn\":true", seen, StringComparison.Ordinal);
        // The backtest found every user's session with a zebra click; its examples open the inspector in project 1.
        Assert.Contains($"\"backtestMatched\":{Users}", seen, StringComparison.Ordinal);
        Assert.Contains("&project=1", seen, StringComparison.Ordinal);
        Assert.Contains("\"inspectorProject\":\"1\"", seen, StringComparison.Ordinal);
        Assert.Contains("\"inspectorUser\":\"rules-user-", seen, StringComparison.Ordinal);
        Assert.True(new FileInfo(shot).Length > 10_000, "rules page screenshot missing or empty");
        output.WriteLine($"screenshot: {shot}");

        // What the page did is stored, in order, by the dashboard.
        var stored = await http.GetFromJsonAsync<JsonElement>($"/rules/{code}");
        Assert.Equal("Edited on the Rules page", stored.GetProperty("current").GetProperty("rule").GetProperty("description").GetString());
        var history = stored.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["create", "disable", "enable", "update"], history.Select(h => h.GetProperty("change").GetString()));
        Assert.Equal("anonymous", history[0].GetProperty("changed_by").GetString());
        Assert.All(history.Skip(1), h => Assert.Equal("dashboard anonymous", h.GetProperty("changed_by").GetString()));
    }

    private static (int? Hour, int? Day) Fired(JsonElement list, string code)
    {
        var rule = list.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("code").GetString() == code);
        static int? Read(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetInt32() : null;
        return (Read(rule.GetProperty("fired_last_hour")), Read(rule.GetProperty("fired_last_day")));
    }

    private static Task<JsonElement> WaitForAsync(HttpClient http, string path, Func<JsonElement, bool> done) =>
        ContextReader.GetJsonUntilAsync(http, path, done, (int)Deadline.TotalMilliseconds);
}
