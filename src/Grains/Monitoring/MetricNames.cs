namespace SessionInsights.Grains.Monitoring;

/// <summary>The instruments (of GrainMetrics and the gateway's IngestMetrics) the insights page reads.</summary>
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

    /// <summary>Events a user grain is done with: applied, failed, or skipped as a duplicate.</summary>
    public static long Processed(MetricsSnapshot m) => m.Counter(Applied) + m.Counter(Failed) + m.Counter(Duplicates);
}
