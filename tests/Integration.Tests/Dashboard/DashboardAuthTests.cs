using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Dashboard;

/// <summary>
/// Dashboard:Username/Password turn on basic auth for the operator pages (Orleans' dashboard at
/// /dashboard, the insights page at /insights, their JSON) and /metrics; the service API stays open.
/// </summary>
public sealed class DashboardAuthTests
{
    [Fact]
    public async Task Both_dashboards_their_json_and_metrics_need_the_configured_credentials_and_the_api_does_not()
    {
        await using var db = await StorageBackend.CreateAsync("sqlite");
        var env = db.NodeEnvironment();
        env["Dashboard__Username"] = "ops";
        env["Dashboard__Password"] = "s3cret";
        await using var gateway = await NodeProcess.StartGatewayAsync(env);
        using var http = gateway.CreateClient();

        string[] paths =
        [
            "/dashboard/", "/dashboard/DashboardCounters",
            "/insights", "/insights/insights.js", "/insights/api/overview", "/insights/api/failed",
            "/insights/rules", "/insights/rules.js", "/insights/api/rules", "/insights/api/rules?project=1",
            "/metrics",
        ];
        foreach (var path in paths)
        {
            var anonymous = await http.GetAsync(path);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{path} answered {anonymous.StatusCode} without credentials");
            Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, path, "ops:wrong")).StatusCode);
            var allowed = await SendAsync(http, HttpMethod.Get, path, "ops:s3cret");
            Assert.True(allowed.StatusCode == HttpStatusCode.OK, $"{path} answered {allowed.StatusCode} with the credentials");
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync($"/insights/api/failed/{Guid.NewGuid()}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(http, HttpMethod.Post, $"/insights/api/failed/{Guid.NewGuid()}/retry", "ops:s3cret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/session/context/anyone")).StatusCode);

        // The Rules page writes a project's rules as the dashboard's user, and only with the credentials.
        const string rule = """{"code":"ops_rule","description":"d","severity":"LOW","filter":{"semantic_contains":"a"}}""";
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/insights/api/rules", new StringContent(rule))).StatusCode);
        var create = new HttpRequestMessage(HttpMethod.Post, "/insights/api/rules") { Content = new StringContent(rule) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:s3cret")));
        var created = await http.SendAsync(create);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"create answered {created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        var stored = await (await SendAsync(http, HttpMethod.Get, "/insights/api/rules/ops_rule?project=1", "ops:s3cret")).Content.ReadAsStringAsync();
        Assert.Contains("\"changed_by\":\"dashboard ops\"", stored, StringComparison.Ordinal);
        await ProblemAssert.ProblemAsync(await SendAsync(http, HttpMethod.Get, "/insights/api/rules?project=3", "ops:s3cret"), 404, "project", "a project that does not exist");

        var page = await (await SendAsync(http, HttpMethod.Get, "/insights", "ops:s3cret")).Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/insights/insights.js\">", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/dashboard\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(http, HttpMethod.Get, "/insights/nothing.js", "ops:s3cret")).StatusCode);
    }

    [Fact]
    public async Task A_username_without_a_password_stops_the_gateway_at_startup()
    {
        await using var db = await StorageBackend.CreateAsync("sqlite");
        var env = db.NodeEnvironment();
        env["Dashboard__Username"] = "ops";
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () => await NodeProcess.StartGatewayAsync(env));
        Assert.Contains("Dashboard:Username and Dashboard:Password must be set together", failure.Message, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string credentials)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http.SendAsync(request);
    }
}
