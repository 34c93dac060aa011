using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// Runs in every process, silo or Orleans client (gateways hold the ingest counters): once a second
/// it sends this process's figures, and the log lines and pattern firings the hub has not
/// acknowledged yet, to the insights hub grain.
/// </summary>
public sealed class NodeReporter(
    IServiceProvider services,
    IGrainFactory grains,
    MetricsCollector metrics,
    LogRing logs,
    GrainMetrics grainMetrics,
    NodeReporterRoles roles,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<NodeReporter> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Bounds one report; a node that logs or fires faster skips the oldest (the hub keeps only the latest anyway).</summary>
    private const int MaxLogs = 200;
    private const int MaxFirings = 2_000;

    private readonly ProcessSampler _process = new();

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        // Grains are reachable once the silo has joined or the client has connected.
        if (!await StartedAsync(ct).ConfigureAwait(false))
        {
            return;
        }
        var (address, nodeRoles) = Identity();
        var hub = grains.GetInsightsHub();
        long logsNext = 0, firingsNext = 0;
        var failing = false;
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    var (lines, logsFrom) = logs.ReadFrom(logsNext, MaxLogs);
                    var (firings, firingsFrom) = grainMetrics.Patterns.ReadFrom(firingsNext, MaxFirings);
                    var (uptime, cpu, workingSet, heap) = _process.Sample();
                    var stats = new NodeStats(address, nodeRoles, time.GetUtcNow(), uptime, cpu, Environment.ProcessorCount, workingSet, heap, metrics.Snapshot());
                    var ack = await hub.Report(new NodeReport(stats, logsFrom, lines, firingsFrom, firings)).WaitAsync(CallTimeout, ct).ConfigureAwait(false);
                    (logsNext, firingsNext) = (ack.LogsNext, ack.FiringsNext);
                    if (failing)
                    {
                        log.LogInformation("Reporting to the insights hub again");
                        failing = false;
                    }
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // The hub's silo died and it has not moved yet, or no silo is reachable: the next
                    // report carries what this one did. Logged once per outage, not every second.
                    if (!failing)
                    {
                        log.LogWarning("Cannot report to the insights hub ({Error}); retrying every {Interval}", ex.GetType().Name + ": " + ex.Message, Interval);
                        failing = true;
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>A silo by its address (as Orleans' dashboard shows it); an Orleans client has none, so machine and process id.</summary>
    private (string Address, IReadOnlyList<string> Roles) Identity()
    {
        var silo = services.GetService<ILocalSiloDetails>();
        var nodeRoles = new List<string>();
        if (silo is not null)
        {
            nodeRoles.Add("silo");
        }
        if (roles.ServesHttp)
        {
            nodeRoles.Add("gateway");
        }
        return (silo?.SiloAddress.ToParsableString() ?? $"{Environment.MachineName}/{Environment.ProcessId}", nodeRoles);
    }

    private async Task<bool> StartedAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = ct.Register(() => started.TrySetCanceled(ct));
        try
        {
            await started.Task.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>Whether this process also serves the HTTP API (the <c>gateway</c> role); <c>silo</c> is known from Orleans.</summary>
public sealed record NodeReporterRoles(bool ServesHttp);

public static class NodeReporterExtensions
{
    /// <summary>Reports this process to the insights hub; <paramref name="servesHttp"/>: this is a gateway.</summary>
    public static IServiceCollection AddNodeReporter(this IServiceCollection services, bool servesHttp)
    {
        services.AddSingleton(new NodeReporterRoles(servesHttp));
        services.AddHostedService<NodeReporter>();
        return services;
    }
}
