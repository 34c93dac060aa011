namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>
/// A capture gateway whose sessions close after <see cref="IdleTimeout"/> without events, so that a test can
/// see a session close and a late event reopen it without waiting PostHog's 30 minutes.
/// </summary>
public sealed class ShortIdleGatewayFixture : IAsyncLifetime
{
    public const string Token = "phc_short_idle";

    /// <summary>Long enough to see a reopened session open on a loaded machine, short enough to wait for a close.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);

    public StorageBackend Db { get; private set; } = null!;
    public NodeProcess Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = await StorageBackend.CreateAsync("postgres");
        var env = Db.NodeEnvironment();
        env["Capture__Tokens"] = Token;
        env["Insights__SessionIdleTimeout"] = IdleTimeout.ToString("c");
        Node = await NodeProcess.StartGatewayAsync(env);
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await Db.DisposeAsync();
    }
}
