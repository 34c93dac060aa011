namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// Turns the nodes' latest reports into one cluster-wide traffic sample a second and keeps the last
/// <see cref="HistoryLength"/>. Rates are the sums of each node's own rates (from its cumulative
/// counters, see <see cref="NodeRates"/>), so a node that restarts or misses a report causes no
/// negative or spiking figures; context latency percentiles come from the merged cumulative
/// histograms over the last <see cref="WindowSamples"/> samples.
/// </summary>
public sealed class OverviewBuilder
{
    public const int HistoryLength = 100;
    private const int WindowSamples = 10;

    private readonly RingBuffer<TrafficSample> _history = new(HistoryLength);
    private readonly Queue<HistogramData> _window = new();
    private TrafficSample _latest = TrafficSample.Zero;

    public TrafficSample Sample(NodeTable nodes, DateTimeOffset now)
    {
        var up = nodes.Up(now).ToList();
        var total = nodes.Totals(now);
        var contextReads = total.Histogram(MetricNames.ContextReadMs);
        var window = _window.Count > 0 ? contextReads.Minus(_window.Peek()) : HistogramData.Empty;
        _window.Enqueue(contextReads);
        while (_window.Count > WindowSamples)
        {
            _window.Dequeue();
        }
        _latest = new TrafficSample(
            now,
            Math.Round(up.Sum(n => n.Rates.Ingested), 1),
            Math.Round(up.Sum(n => n.Rates.Processed), 1),
            Math.Max(0, total.Counter(MetricNames.Accepted) - MetricNames.Processed(total)),
            (long)total.Gauge(MetricNames.Unsaved),
            Math.Round(up.Sum(n => n.Rates.ContextReads), 1),
            Math.Round(window.PercentileMs(0.50), 3),
            Math.Round(window.PercentileMs(0.99), 3));
        if (up.Count > 0)
        {
            _history.Add(_latest);
        }
        return _latest;
    }

    public ClusterOverview Overview(NodeTable nodes, DateTimeOffset now) => new(now, nodes.Views(now), _latest, _history.ToArray());
}
