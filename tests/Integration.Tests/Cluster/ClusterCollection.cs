namespace SessionInsights.Integration.Tests.Cluster;

/// <summary>
/// Multi-silo fault tests run alone: on two cores, other tests' processes starving the heartbeats
/// would test the failure detector's patience rather than the failover.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "multi-silo";
}
