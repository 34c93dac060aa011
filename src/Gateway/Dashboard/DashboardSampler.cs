using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Gateway.Dashboard;

/// <summary>
/// Samples the cluster once a second, but only while someone looks (a dashboard request in the last
/// 30 s): a closed dashboard costs nothing, and many open ones cost one probe per second between them.
/// </summary>
public sealed class DashboardSampler(ClusterProbe probe, ShardDistribution shards, TimeProvider time, ILogger<DashboardSampler> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(30);

    private const int ShardStatsEvery = 5;
    private readonly OverviewBuilder _builder = new();
    private Dictionary<string, Dictionary<string, ShardCount>> _distribution = [];
    private long _samples;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private TaskCompletionSource<Overview> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Overview? _latest;
    private long _wantedAt;

    /// <summary>The latest sample; waits for the first one when sampling was idle.</summary>
    public async Task<Overview> CurrentAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var wasIdle = now.UtcTicks - Interlocked.Exchange(ref _wantedAt, now.UtcTicks) > IdleAfter.Ticks;
        if (wasIdle && _wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
        var latest = Volatile.Read(ref _latest);
        if (latest is not null && now - latest.At < Interval * 3)
        {
            return latest;
        }
        return await Volatile.Read(ref _next).Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (time.GetUtcNow().UtcTicks - Interlocked.Read(ref _wantedAt) > IdleAfter.Ticks)
            {
                await _wake.WaitAsync(stoppingToken);
                continue;
            }
            var started = time.GetUtcNow();
            try
            {
                if (probe.IsReady)
                {
                    var probes = probe.ProbeAsync(new GetNodeStats(IncludeLogs: false, IncludePatterns: false), stoppingToken);
                    // Shard statistics ask every shard (mailboxes the grains' traffic uses too), so only every 5th sample.
                    if (_samples++ % ShardStatsEvery == 0)
                    {
                        _distribution = await shards.ReadAsync(stoppingToken);
                    }
                    var overview = _builder.Add(time.GetUtcNow(), await probes, _distribution);
                    Volatile.Write(ref _latest, overview);
                    Interlocked.Exchange(ref _next, new TaskCompletionSource<Overview>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(overview);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(ex, "Dashboard sample failed");
            }
            var rest = Interval - (time.GetUtcNow() - started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, time, stoppingToken);
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
