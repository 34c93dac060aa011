namespace SessionInsights.Grains.Monitoring;

/// <summary>Marker: monitoring messages cross the wire with the grain JSON serializer (see HoconBuilder).</summary>
public interface IMonitoringMessage;

/// <summary>Asks a node's <see cref="NodeStatsActor"/> for its figures; logs and pattern firings only when asked.</summary>
public sealed record GetNodeStats(bool IncludeLogs, bool IncludePatterns) : IMonitoringMessage
{
    public const string ActorName = "node-stats";
    public const string ActorPath = "/user/" + ActorName;
}

/// <summary>One node's figures at one moment; counters and histograms are cumulative since the node started.</summary>
public sealed record NodeStats(
    string Address,
    IReadOnlyList<string> Roles,
    DateTimeOffset At,
    double UptimeSeconds,
    double CpuPercent,
    int Cores,
    long WorkingSetBytes,
    long GcHeapBytes,
    MetricsSnapshot Metrics,
    IReadOnlyList<PatternFiring> Firings,
    IReadOnlyList<LogLine> Logs) : IMonitoringMessage;
