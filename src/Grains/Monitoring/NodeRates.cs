namespace SessionInsights.Grains.Monitoring;

/// <summary>Per second, between two reports of one node (by the node's own clock, so skew between nodes does not matter).</summary>
public sealed record NodeRates(double Ingested, double Processed, double ContextReads)
{
    public static readonly NodeRates Zero = new(0, 0, 0);

    public static NodeRates Between(NodeStats before, NodeStats now)
    {
        var seconds = (now.At - before.At).TotalSeconds;
        double PerSecond(Func<MetricsSnapshot, long> read) => Math.Round(Math.Max(0, read(now.Metrics) - read(before.Metrics)) / seconds, 1);
        return new NodeRates(
            PerSecond(m => m.Counter(MetricNames.Accepted)),
            PerSecond(MetricNames.Processed),
            PerSecond(m => m.Counter(MetricNames.ContextReads)));
    }
}
