namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>One gateway process on a fresh PostgreSQL database, shared by a test class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public StorageBackend Db { get; private set; } = null!;
    public NodeProcess Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = await StorageBackend.CreateAsync("postgres");
        Node = await NodeProcess.StartGatewayAsync(Db.NodeEnvironment());
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await Db.DisposeAsync();
    }
}
