using SessionInsights.Integration.Tests.Infrastructure;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>
/// The API-contract classes share one gateway: each needs only a running node, and one process
/// instead of four keeps a 2-core machine free for the rest of the suite. They run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "api-contract";
}
