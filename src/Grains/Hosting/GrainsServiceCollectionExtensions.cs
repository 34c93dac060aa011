using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SessionInsights.Grains.Monitoring;
using SessionInsights.Grains.Persistence;
using SessionInsights.Grains.Reads;
using SessionInsights.Grains.Storage;

namespace SessionInsights.Grains.Hosting;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Registers this node's cluster membership and, for a silo, the grains. Storage
    /// (<see cref="IRawEventLog"/>, <see cref="IGrainStateStore"/>) must be registered too.
    /// </summary>
    public static IServiceCollection AddSessionInsightsCluster(this IServiceCollection services, IConfiguration config, bool hostsSilo, bool hostsGateway)
    {
        services.AddSingleton(ClusterOptions.FromConfiguration(config, hostsSilo, hostsGateway));
        services.AddSingleton(GrainSettingsLoader.FromConfiguration(config));
        services.AddSingleton(_ => InsightsOptionsLoader.FromConfiguration(config));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<GrainMetrics>();
        services.AddSingleton<StorageContextReader>();
        services.AddSingleton<GrainClient>();
        services.AddSingleton(sp => new GrainStateWriter(sp.GetRequiredService<IGrainStateStore>()));
        services.AddSingleton<GrainServices>();
        services.AddSingleton<PendingSweeper>();
        services.AddNodeMonitoring();
        services.AddSingleton<AkkaClusterService>();
        services.AddHostedService(sp => sp.GetRequiredService<AkkaClusterService>());
        return services;
    }
}
