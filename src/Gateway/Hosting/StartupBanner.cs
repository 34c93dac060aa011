using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SessionInsights.Gateway.Hosting;

/// <summary>Says once, when HTTP is served, where to point a browser or a bot and where the data lives.</summary>
internal sealed class StartupBanner(IServer server, DataLocation data, IHostApplicationLifetime lifetime, ILogger<StartupBanner> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "(no HTTP address)";
            var reset = data.SqliteFile is null ? "" : " (start with --reset-data to begin empty)";
            log.LogInformation(
                "Session Insights serves {Url}: context {Url}/session/context/{{user_id}}, dashboard {Url}/insights, API {Url}/docs; data in {Data}{Reset}",
                url, url, url, url, data.Description, reset);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
