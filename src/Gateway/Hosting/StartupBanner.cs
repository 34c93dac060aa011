using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SessionInsights.Gateway.Security;

namespace SessionInsights.Gateway.Hosting;

/// <summary>Says once, when HTTP is served, where to point a browser or a bot and where the data lives.</summary>
internal sealed class StartupBanner(
    IServer server, DataLocation data, SecurityMode security, IHostApplicationLifetime lifetime, ILogger<StartupBanner> log, DevProject? dev = null) : IHostedService
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
            if (dev?.Current is { } keys)
            {
                // To the console only, not the log: the single-node default's own keys, so the README's
                // commands work as written. A deployment's keys are shown once, by the CLI that makes them.
                Console.WriteLine($"Development project (project 1): capture token {keys.CaptureToken}, secret key {keys.SecretKey} (kept in {keys.File})");
            }
            log.LogInformation(security.AllowAnonymous
                ? "Anonymous access on: requests without a key are served as the default project (Security__AllowAnonymous)"
                : "Anonymous access off: capture needs a project's token, reads and /ingest its secret key");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
