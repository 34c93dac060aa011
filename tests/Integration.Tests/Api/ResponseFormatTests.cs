using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>One format everywhere: every time is RFC 3339 UTC with Z, severity has one casing.</summary>
public sealed partial class ResponseFormatTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Every_endpoint_writes_times_with_Z_and_severity_in_capitals()
    {
        using var http = gateway.Node.CreateClient();
        var startedAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        const string user = "format-user";
        const string session = "s-format";
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-3).ToOffset(TimeSpan.FromHours(5.5)); // sent with an offset
        foreach (var e in new[] { Pageview(user, session, t0, "/cart"), Pageview(user, session, t0.AddSeconds(5), "/checkout"), Pageview(user, session, t0.AddSeconds(9), "/") })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/ingest", Envelope(e))).StatusCode);
        }
        var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 3 && c.GetProperty("patterns").GetArrayLength() > 0, timeoutMs: 60_000);
        string? sessionJson = null;
        await ContextReader.WaitUntilAsync(async () =>
        {
            var r = await http.GetAsync($"/session/{session}");
            sessionJson = r.IsSuccessStatusCode ? await r.Content.ReadAsStringAsync() : null;
            return sessionJson is not null && JsonDocument.Parse(sessionJson).RootElement.GetProperty("session").GetProperty("event_count").GetInt32() == 3;
        }, "the session view shows 3 events", timeoutMs: 60_000);
        var patterns = await http.GetFromJsonAsync<JsonElement>("/insights/api/patterns");
        var user_ = await http.GetFromJsonAsync<JsonElement>($"/insights/api/user/{user}");

        var documents = new Dictionary<string, JsonElement>
        {
            ["context"] = context,
            ["session"] = JsonDocument.Parse(sessionJson!).RootElement,
            ["insights patterns"] = patterns,
            ["insights user"] = user_,
        };
        var times = 0;
        foreach (var (name, doc) in documents)
        {
            foreach (var value in Strings(doc).Where(s => LooksLikeTime().IsMatch(s)))
            {
                times++;
                Assert.True(value.EndsWith('Z'), $"{name}: time '{value}' is not UTC with Z");
            }
        }
        Assert.True(times >= 10, $"only {times} times found: the check would prove nothing");

        // Both documents a bot reads say when the server answered, so relative times need no clock there.
        foreach (var (name, doc) in new[] { ("context", context), ("session", documents["session"]) })
        {
            var first = doc.EnumerateObject().First();
            Assert.Equal("generated_at", first.Name);
            var at = DateTimeOffset.Parse(first.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(at, startedAt, DateTimeOffset.UtcNow.AddSeconds(1));
        }

        var contextSeverities = context.GetProperty("patterns").EnumerateArray().Select(p => p.GetProperty("severity").GetString()!).ToList();
        var dashboardSeverities = patterns.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("severity").GetString()!).ToList();
        Assert.NotEmpty(dashboardSeverities);
        Assert.All(contextSeverities.Concat(dashboardSeverities), s => Assert.Matches("^(HIGH|MEDIUM|LOW)$", s));
    }

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")]
    private static partial Regex LooksLikeTime();
}
