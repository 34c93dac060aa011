using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Sdk;

/// <summary>
/// The real posthog-node SDK (version pinned in tests/sdk/package.json, installed from the npm
/// registry by the test itself) sends to a running gateway; the context shows what it sent.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class PosthogNodeTests(CaptureGatewayFixture gateway) : IClassFixture<CaptureGatewayFixture>
{
    [Fact]
    public async Task Events_sent_by_posthog_node_reach_the_context()
    {
        var sdk = Path.Combine(CommandRunner.RepoRoot, "tests", "sdk");
        await CommandRunner.RunAsync(sdk, TimeSpan.FromMinutes(3), "npm", "ci", "--no-audit", "--no-fund");
        var user = "node-" + Guid.NewGuid().ToString("N")[..8];

        await CommandRunner.RunAsync(sdk, TimeSpan.FromMinutes(1), "node", "send-posthog-node.mjs",
            gateway.Node.BaseAddress!.ToString().TrimEnd('/'), CaptureGatewayFixture.Token, user);

        using var http = gateway.Node.CreateClient();
        var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 3);
        Assert.Equal(
            ["Submitted upgrade form", "Viewed billing page", "Viewed pricing page"],
            ContextReader.Labels(context).Order(StringComparer.Ordinal));
        Assert.Equal(3, await gateway.Db.ScalarAsync($"SELECT count(*) FROM raw_event WHERE distinct_id = '{user}'"));
    }
}
