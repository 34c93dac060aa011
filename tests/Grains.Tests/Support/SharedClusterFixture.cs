namespace SessionInsights.Grains.Tests.Support;

/// <summary>One two-silo cluster for the tests that do not kill silos; each test uses its own users.</summary>
public sealed class SharedClusterFixture : IAsyncLifetime
{
    internal GrainTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await GrainTestCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SharedClusterCollection : ICollectionFixture<SharedClusterFixture>
{
    public const string Name = "shared two-silo cluster";
}
