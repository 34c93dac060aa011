using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Security;

/// <summary>The secured gateway with small limits: 20 events/s (burst 20) per capture token, 5 reads/s (burst 5) per project.</summary>
public sealed class RateLimitedGateway : SecuredGateway
{
    protected override void Configure(Dictionary<string, string?> env)
    {
        env["RateLimits__CaptureEventsPerSecond"] = "20";
        env["RateLimits__CaptureBurst"] = "20";
        env["RateLimits__ReadsPerSecond"] = "5";
        env["RateLimits__ReadBurst"] = "5";
    }
}

/// <summary>
/// Issue 14 part 5: a project over its rate gets 429 with Retry-After and nothing stored, while
/// another project's capture and reads go on untouched; refusals show in /metrics and on the dashboard.
/// </summary>
public sealed class RateLimitTests(RateLimitedGateway gateway) : IClassFixture<RateLimitedGateway>
{
    [Fact]
    public async Task A_flooding_project_gets_429_with_retry_after_and_a_quiet_one_is_served_meanwhile()
    {
        using var http = gateway.Node.CreateClient();
        // 20 requests of 10 events at once against a bucket of 20: most must be refused, whatever
        // the machine's load (they would have to spread over 9 s for the refill to serve them all).
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => CaptureAsync(http, gateway.Alpha.CaptureToken, "flooder", 10)));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.InRange(accepted, 1, 19);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Contains("RateLimits__CaptureEventsPerSecond", await refused.Content.ReadAsStringAsync());

        // The quiet project's bucket is its own.
        Assert.Equal(HttpStatusCode.OK, (await CaptureAsync(http, gateway.Beta.CaptureToken, "quiet", 10)).StatusCode);

        // Nothing of a refused request was stored: exactly the accepted requests' events are.
        using var alpha = gateway.ClientOf(gateway.Alpha);
        await ContextReader.WaitUntilAsync(
            async () => await gateway.Db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = 'flooder' AND project_id = {gateway.Alpha.ProjectId}") == accepted * 10,
            $"{accepted * 10} of the flooder's events stored");
    }

    [Fact]
    public async Task Reads_over_a_projects_rate_get_429_while_another_projects_reads_are_served()
    {
        using var alpha = gateway.ClientOf(gateway.Alpha);
        // 40 reads at once against a bucket of 5 refilled at 5/s.
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => alpha.GetAsync("/session/context/reader")));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("RateLimits__ReadsPerSecond", await refused.Content.ReadAsStringAsync());

        // Beta's reads have a bucket of their own.
        using var beta = gateway.ClientOf(gateway.Beta);
        Assert.Equal(HttpStatusCode.OK, (await beta.GetAsync("/session/context/reader")).StatusCode);
    }

    [Fact]
    public async Task Refusals_are_counted_in_metrics_and_listed_per_project_on_the_dashboard()
    {
        using var http = gateway.Node.CreateClient();
        await ContextReader.WaitUntilAsync(async () =>
            (await CaptureAsync(http, gateway.Alpha.CaptureToken, "counted", 15)).StatusCode == HttpStatusCode.TooManyRequests, "a capture refused");

        using var admin = gateway.Node.CreateClient();
        admin.DefaultRequestHeaders.Authorization = AdminAuth.Header;
        var metrics = "";
        await ContextReader.WaitUntilAsync(async () =>
            (metrics = await admin.GetStringAsync("/metrics")).Split('\n').Any(l => l.StartsWith("si_ratelimit_rejected_total{", StringComparison.Ordinal) && l.Contains("kind=\"capture\"", StringComparison.Ordinal)),
            () => "the capture refusal in /metrics: " + string.Join('\n', metrics.Split('\n').Where(l => l.Contains("ratelimit", StringComparison.Ordinal))));
        var listed = await admin.GetFromJsonAsync<JsonElement>("/insights/api/rate-limits");
        Assert.Contains(listed.EnumerateArray(), r =>
            r.GetProperty("project_id").GetInt64() == gateway.Alpha.ProjectId && r.GetProperty("kind").GetString() == "capture" && r.GetProperty("refused").GetInt64() >= 1);
        Assert.DoesNotContain(listed.EnumerateArray(), r => r.GetProperty("project_id").GetInt64() == gateway.Beta.ProjectId && r.GetProperty("kind").GetString() == "capture");
    }

    [Fact]
    public async Task With_anonymous_access_tokens_nobody_made_share_one_bucket_so_changing_the_token_does_not_dodge_the_limit()
    {
        var directory = Directory.CreateTempSubdirectory("si-anon-limit-");
        var env = new Dictionary<string, string?>
        {
            ["Storage__SqlitePath"] = Path.Combine(directory.FullName, "data.db"),
            ["RateLimits__CaptureEventsPerSecond"] = "20",
            ["RateLimits__CaptureBurst"] = "20",
        };
        try
        {
            await using var node = await NodeProcess.StartGatewayAsync(env);
            await RotateTokensAsync(node);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task RotateTokensAsync(NodeProcess node)
    {
        using var http = node.CreateClient();
        // 20 requests at once, each with a token nobody made, against one shared bucket of 20 events.
        var statuses = (await Task.WhenAll(Enumerable.Range(0, 20).Select(i => CaptureAsync(http, $"phc_made_up_{i}", "rotator", 10)))).Select(r => r.StatusCode).ToList();
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Contains(HttpStatusCode.OK, statuses);
    }

    private static Task<HttpResponseMessage> CaptureAsync(HttpClient http, string token, string user, int events)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var batch = new JsonArray([.. Enumerable.Range(0, events).Select(i => (JsonNode)Pageview(user, "s-" + user, at.AddMilliseconds(i), "/pricing"))]);
        var body = new JsonObject { ["api_key"] = token, ["batch"] = batch };
        return http.PostAsync("/batch", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
    }
}
