namespace SessionInsights.Grains.Monitoring;

/// <summary>What the insights hub answers for the page: every node it hears from, cluster-wide traffic and its history.</summary>
public sealed record ClusterOverview(
    DateTimeOffset At,
    IReadOnlyList<NodeView> Nodes,
    TrafficSample Traffic,
    IReadOnlyList<TrafficSample> History)
{
    /// <summary>The server's time of the answer: set by the gateway that serves it, not by the hub.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public DateTimeOffset GeneratedAt { get; init; }
}

/// <summary>
/// One node as of its latest report. <see cref="Status"/> is <c>up</c>, or <c>missing</c> when no
/// report came for a few seconds (the figures are then its last ones); the rates are over its
/// last two reports.
/// </summary>
public sealed record NodeView(
    string Address,
    IReadOnlyList<string> Roles,
    string Status,
    double SecondsSinceReport,
    double UptimeSeconds,
    double CpuPercent,
    int Cores,
    long WorkingSetBytes,
    long GcHeapBytes,
    long ActiveUsers,
    long ActiveSessions,
    long UnsavedEvents,
    double IngestedPerSecond,
    double ProcessedPerSecond);

/// <summary>
/// Cluster-wide traffic at one moment. Rates are per second, summed over the nodes up; lag is
/// events acknowledged (202) but not yet applied by a grain; backlog is applied but not yet
/// committed; context latency percentiles are over the last ten seconds.
/// </summary>
public sealed record TrafficSample(
    DateTimeOffset At,
    double IngestedPerSecond,
    double ProcessedPerSecond,
    long IngestionLag,
    long PersistenceBacklog,
    double ContextReadsPerSecond,
    double ContextP50Ms,
    double ContextP99Ms)
{
    public static readonly TrafficSample Zero = new(DateTimeOffset.MinValue, 0, 0, 0, 0, 0, 0, 0);
}
