using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace SessionInsights.Grains.Hosting;

/// <summary>Logs "Silo … is up" once this silo is an active cluster member (scripts and tests wait for it).</summary>
internal sealed class SiloReadyLog(ILocalSiloDetails silo, IHostApplicationLifetime lifetime, ILogger<SiloReadyLog> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => log.LogInformation("Silo {Address} ({Name}) is up", silo.SiloAddress, silo.Name));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class SiloReadyLogExtensions
{
    public static IServiceCollection AddSiloReadyLog(this IServiceCollection services) => services.AddHostedService<SiloReadyLog>();
}
