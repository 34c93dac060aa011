namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// One process's figures at one moment (a silo, a gateway, or both in one process); counters and
/// histograms are cumulative since the process started, so the hub can turn two reports into rates.
/// </summary>
/// <param name="Address">Unique per process: the silo address (as Orleans' dashboard writes it), or machine/pid for an Orleans client.</param>
/// <param name="Roles"><c>silo</c> (hosts grains) and/or <c>gateway</c> (serves the HTTP API).</param>
/// <param name="At">The node's clock when it sampled; rates use the node's own clock, so clock skew between nodes does not matter.</param>
public sealed record NodeStats(
    string Address,
    IReadOnlyList<string> Roles,
    DateTimeOffset At,
    double UptimeSeconds,
    double CpuPercent,
    int Cores,
    long WorkingSetBytes,
    long GcHeapBytes,
    MetricsSnapshot Metrics);
