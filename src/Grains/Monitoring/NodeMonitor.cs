namespace SessionInsights.Grains.Monitoring;

/// <summary>What one node keeps for the dashboard: metric totals, grain method stats, pattern firings, log tail.</summary>
public sealed class NodeMonitor(MetricsCollector collector, GrainMethodStats methods, PatternFirings patterns, LogRing logs, TimeProvider time)
{
    public MetricsCollector Collector { get; } = collector;
    public GrainMethodStats Methods { get; } = methods;
    public PatternFirings Patterns { get; } = patterns;
    public LogRing Logs { get; } = logs;
    public TimeProvider Time { get; } = time;
}
