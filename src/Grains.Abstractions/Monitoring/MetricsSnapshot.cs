namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// Counter totals, gauge values and millisecond histograms of one node (or summed over nodes);
/// crosses the wire with the System.Text.Json codec (by namespace).
/// </summary>
public sealed record MetricsSnapshot(
    Dictionary<string, long> Counters,
    Dictionary<string, double> Gauges,
    Dictionary<string, HistogramData> Histograms)
{
    public static readonly MetricsSnapshot Empty = new([], [], []);

    public long Counter(string name) => Counters.TryGetValue(name, out var v) ? v : 0;

    public double Gauge(string name) => Gauges.TryGetValue(name, out var v) ? v : 0;

    public HistogramData Histogram(string name) => Histograms.TryGetValue(name, out var h) ? h : HistogramData.Empty;

    public MetricsSnapshot Add(MetricsSnapshot other)
    {
        var counters = new Dictionary<string, long>(Counters, StringComparer.Ordinal);
        foreach (var (k, v) in other.Counters)
        {
            counters[k] = counters.GetValueOrDefault(k) + v;
        }
        var gauges = new Dictionary<string, double>(Gauges, StringComparer.Ordinal);
        foreach (var (k, v) in other.Gauges)
        {
            gauges[k] = gauges.GetValueOrDefault(k) + v;
        }
        var histograms = new Dictionary<string, HistogramData>(Histograms, StringComparer.Ordinal);
        foreach (var (k, v) in other.Histograms)
        {
            histograms[k] = histograms.TryGetValue(k, out var h) ? h.Add(v) : v;
        }
        return new MetricsSnapshot(counters, gauges, histograms);
    }
}
