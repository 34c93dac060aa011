using System.Net;
using System.Text;
using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Capture;

/// <summary>With no <c>Capture:Tokens</c> configured (development), any non-empty token is accepted.</summary>
public sealed class OpenTokensTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Any_non_empty_token_is_accepted_and_none_is_401()
    {
        using var http = gateway.Node.CreateClient();
        const string body = "{\"event\": \"$pageview\", \"distinct_id\": \"open-1\", \"properties\": {\"token\": \"whatever\"}}";

        var any = await http.PostAsync("/capture", new StringContent(body, Encoding.UTF8, "application/json"));
        var none = await http.PostAsync("/capture", new StringContent(body.Replace("whatever", ""), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, any.StatusCode);
        await ProblemAssert.ProblemAsync(none, 401, "token", "empty token");
    }
}
