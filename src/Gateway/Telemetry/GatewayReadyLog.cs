namespace SessionInsights.Gateway.Telemetry;

/// <summary>Logs "Gateway … is up" once the Orleans client has connected and HTTP is served (scripts and tests wait for it).</summary>
internal sealed class GatewayReadyLog(IHostApplicationLifetime lifetime, ILogger<GatewayReadyLog> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => log.LogInformation("Gateway {Machine}/{Pid} is up (Orleans client)", Environment.MachineName, Environment.ProcessId));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
