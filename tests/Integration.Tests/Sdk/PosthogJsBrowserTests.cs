using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Sdk;

/// <summary>
/// posthog-js with autocapture in headless Chromium: real clicks on real buttons become labelled
/// events in the context. tests/sdk/install-browser.sh installs Chromium (apt) and the pinned npm
/// packages when missing, so the test needs no preparation but does need the package mirrors.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class PosthogJsBrowserTests(CaptureGatewayFixture gateway) : IClassFixture<CaptureGatewayFixture>
{
    [Fact]
    public async Task Autocaptured_clicks_become_labels_in_the_context()
    {
        var sdk = Path.Combine(CommandRunner.RepoRoot, "tests", "sdk");
        await CommandRunner.RunAsync(sdk, TimeSpan.FromMinutes(10), "bash", "install-browser.sh");
        var user = "browser-" + Guid.NewGuid().ToString("N")[..8];

        await CommandRunner.RunAsync(sdk, TimeSpan.FromMinutes(4), "node", "browse-posthog-js.mjs",
            gateway.Node.BaseAddress!.ToString().TrimEnd('/'), CaptureGatewayFixture.Token, user);

        using var http = gateway.Node.CreateClient();
        var context = await ContextReader.WaitForAsync(http, user,
            c => ContextReader.Labels(c).Contains("Clicked 'Add to Cart' button"));
        var labels = ContextReader.Labels(context);
        Assert.Contains("Clicked 'Upgrade to Pro' button", labels);
        Assert.Contains(labels, l => l.StartsWith("Viewed", StringComparison.Ordinal));
    }
}
