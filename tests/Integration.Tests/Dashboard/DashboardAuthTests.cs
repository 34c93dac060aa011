using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Dashboard;

/// <summary>Dashboard:Username/Password turn on basic auth for /dashboard and /metrics only.</summary>
public sealed class DashboardAuthTests
{
    [Fact]
    public async Task Dashboard_and_metrics_need_the_configured_credentials_and_the_api_does_not()
    {
        await using var db = await StorageBackend.CreateAsync("sqlite");
        var env = db.NodeEnvironment();
        env["Dashboard__Username"] = "ops";
        env["Dashboard__Password"] = "s3cret";
        await using var gateway = await NodeProcess.StartGatewayAsync(env);
        using var http = gateway.CreateClient();

        foreach (var path in new[] { "/dashboard", "/dashboard/api/overview", "/metrics" })
        {
            var anonymous = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, path, "ops:wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, path, "ops:s3cret")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);

        var page = await (await SendAsync(http, "/dashboard", "ops:s3cret")).Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/dashboard/dashboard.js\">", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(http, "/dashboard/nothing.js", "ops:s3cret")).StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string credentials)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http.SendAsync(request);
    }
}
