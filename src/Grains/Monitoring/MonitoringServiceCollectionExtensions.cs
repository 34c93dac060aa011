using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Grains.Monitoring;

public static class MonitoringServiceCollectionExtensions
{
    /// <summary>What every node keeps for the dashboard; <see cref="NodeStatsActor"/> serves it.</summary>
    public static IServiceCollection AddNodeMonitoring(this IServiceCollection services)
    {
        services.AddSingleton<MetricsCollector>();
        services.AddSingleton(_ => new LogRing());
        services.AddSingleton<ILoggerProvider, RingLoggerProvider>();
        services.AddSingleton(sp =>
        {
            var metrics = sp.GetRequiredService<GrainMetrics>();
            return new NodeMonitor(sp.GetRequiredService<MetricsCollector>(), metrics.Methods, metrics.Patterns, sp.GetRequiredService<LogRing>(), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
