using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Gateway.Dashboard;

/// <summary>What /dashboard/api/overview returns: one sample of the whole cluster plus the history.</summary>
public sealed record Overview(
    DateTimeOffset At,
    IReadOnlyList<NodeView> Nodes,
    TrafficSample Traffic,
    IReadOnlyList<TrafficSample> History,
    IReadOnlyList<MethodView> Methods);

/// <summary>One member; figures are null when it did not answer.</summary>
public sealed record NodeView(
    string Address,
    IReadOnlyList<string> Roles,
    string Status,
    bool Answered,
    double? UptimeSeconds,
    double? CpuPercent,
    long? WorkingSetBytes,
    long? GcHeapBytes,
    long ActiveUsers,
    long ActiveSessions,
    long UnsavedEvents,
    IReadOnlyDictionary<string, ShardCount> Shards);

/// <summary>
/// Cluster-wide traffic at one moment. Rates are per second over the last sample interval; lag is
/// events acknowledged (202) but not yet applied by a grain; backlog is applied but not yet committed;
/// context latency percentiles are over the last ten seconds.
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

/// <summary>One grain method over the last ten seconds (calls/s, mean, p99) and since start (calls, errors).</summary>
public sealed record MethodView(string Grain, string Message, double CallsPerSecond, long Calls, double MeanMs, double P99Ms, long Errors);

public sealed record PatternsView(DateTimeOffset Since, IReadOnlyList<PatternRuleView> Rules, IReadOnlyList<string> NodesMissing);

public sealed record PatternRuleView(string Rule, string Description, string Severity, int Count, IReadOnlyList<string> Users, DateTimeOffset? LastAt);

public sealed record LogsView(IReadOnlyList<NodeLogLine> Lines, IReadOnlyList<string> NodesMissing);

public sealed record NodeLogLine(string Node, DateTimeOffset At, string Level, string Category, string Message);

public sealed record RetryResult(Guid Uuid, string DistinctId, string Status);

internal static class MetricNames
{
    public const string Accepted = "si.ingest.accepted";
    public const string Applied = "si.events.applied";
    public const string Failed = "si.events.failed";
    public const string Duplicates = "si.events.duplicates_skipped";
    public const string ContextReads = "si.context.reads";
    public const string ContextReadMs = "si.context.read_ms";
    public const string ActiveUsers = "si.grains.active_users";
    public const string ActiveSessions = "si.grains.active_sessions";
    public const string Unsaved = "si.grains.unsaved_events";

    public static long Processed(MetricsSnapshot m) => m.Counter(Applied) + m.Counter(Failed) + m.Counter(Duplicates);
}
