using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Api;

/// <summary><c>GET /session/{id}</c>: 404 for a session nobody sent, and its <c>events_limit</c> bounds.</summary>
[Collection(ApiCollection.Name)]
public sealed class SessionEndpointTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Unknown_session_is_404_with_problem_details_naming_it()
    {
        using var http = gateway.Node.CreateClient();

        var response = await http.GetAsync("/session/never-sent-session");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"expected 404, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("never-sent-session", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-2147483648")]
    [InlineData("ten")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    [InlineData("201")]
    public async Task Bad_events_limit_is_400_naming_it(string value)
    {
        using var http = gateway.Node.CreateClient();

        // An unknown session: the answer must be the 400, not the 404 the lookup would give.
        var response = await http.GetAsync($"/session/never-sent-session?events_limit={Uri.EscapeDataString(value)}");

        await ProblemAssert.ProblemAsync(response, 400, "events_limit", $"events_limit={value}");
    }

    [Fact]
    public async Task Events_limit_from_1_to_the_maximum_of_200_answers_the_latest_events()
    {
        using var http = gateway.Node.CreateClient();
        const string user = "user-session-limit";
        const string session = "s-session-limit";
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < 3; i++)
        {
            var response = await http.PostAsJsonAsync("/ingest", Envelope(Pageview(user, session, t0.AddSeconds(i), $"/page-{i}")));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // The session grain hears of events after the user grain, so poll until all three are there.
        JsonElement all = default;
        await ContextReader.WaitUntilAsync(
            async () =>
            {
                using var response = await http.GetAsync($"/session/{session}?events_limit=200");
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return false;
                }
                all = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                return all.GetProperty("events").GetArrayLength() == 3;
            },
            () => $"GET /session/{session}?events_limit=200 to list 3 events (last: {all})",
            timeoutMs: 60_000);
        Assert.Equal(3, all.GetProperty("session").GetProperty("event_count").GetInt32());

        var one = JsonDocument.Parse(await http.GetStringAsync($"/session/{session}?events_limit=1")).RootElement;
        var latest = Assert.Single(one.GetProperty("events").EnumerateArray());
        Assert.Equal("/page-2", latest.GetProperty("page_path").GetString());
        Assert.Equal(3, latest.GetProperty("sequence_number").GetInt32());
    }
}
