namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>A gateway with project tokens and a webhook secret configured, on a fresh PostgreSQL database.</summary>
public sealed class CaptureGatewayFixture : IAsyncLifetime
{
    public const string Token = "phc_test_token";
    public const string OtherToken = "phc_second";
    public const string WebhookSecret = "hook-s3cret";

    public StorageBackend Db { get; private set; } = null!;
    public NodeProcess Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = await StorageBackend.CreateAsync("postgres");
        var env = Db.NodeEnvironment();
        env["Capture__Tokens"] = $"{Token}, {OtherToken}";
        env["Ingest__SharedSecret"] = WebhookSecret;
        Node = await NodeProcess.StartGatewayAsync(env);
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await Db.DisposeAsync();
    }
}
