using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Gateway.Dashboard;

/// <summary>
/// Turns successive probes of the cluster (cumulative counters per node) into rates, lag, backlog
/// and windowed latencies. Rates come from each node's own counters between two samples, so a node
/// that restarts or misses a sample causes no negative or spiking figures.
/// </summary>
public sealed class OverviewBuilder
{
    public const int HistoryLength = 100;
    private const int WindowSamples = 10;

    private readonly RingBuffer<TrafficSample> _history = new(HistoryLength);
    private readonly Queue<Cumulative> _window = new();
    private Dictionary<string, NodeStats> _previous = new(StringComparer.Ordinal);

    public Overview Add(DateTimeOffset now, IReadOnlyList<NodeProbe> probes, Dictionary<string, Dictionary<string, ShardCount>> shards)
    {
        var answered = probes.Where(p => p.Stats is not null).Select(p => p.Stats!).ToList();
        var total = answered.Aggregate(MetricsSnapshot.Empty, (sum, n) => sum.Add(n.Metrics));
        var cumulative = new Cumulative(now, total.Histogram(MetricNames.ContextReadMs), MergeMethods(answered));

        double ingested = 0, processed = 0, reads = 0, seconds = 0;
        foreach (var node in answered)
        {
            if (!_previous.TryGetValue(node.Address, out var before) || node.UptimeSeconds < before.UptimeSeconds)
            {
                continue;
            }
            seconds = Math.Max(seconds, (node.At - before.At).TotalSeconds);
            ingested += Delta(node, before, MetricNames.Accepted);
            processed += Delta(node, before, MetricNames.Applied) + Delta(node, before, MetricNames.Failed) + Delta(node, before, MetricNames.Duplicates);
            reads += Delta(node, before, MetricNames.ContextReads);
        }
        _previous = answered.ToDictionary(n => n.Address, StringComparer.Ordinal);

        var oldest = _window.Count > 0 ? _window.Peek() : null;
        var contextWindow = oldest is null ? HistogramData.Empty : cumulative.ContextReads.Minus(oldest.ContextReads);
        _window.Enqueue(cumulative);
        while (_window.Count > WindowSamples)
        {
            _window.Dequeue();
        }

        var sample = new TrafficSample(
            now,
            PerSecond(ingested, seconds),
            PerSecond(processed, seconds),
            Math.Max(0, total.Counter(MetricNames.Accepted) - MetricNames.Processed(total)),
            (long)total.Gauge(MetricNames.Unsaved),
            PerSecond(reads, seconds),
            Math.Round(contextWindow.PercentileMs(0.50), 3),
            Math.Round(contextWindow.PercentileMs(0.99), 3));
        if (seconds > 0)
        {
            _history.Add(sample);
        }
        return new Overview(now, [.. probes.Select(p => ToView(p, shards))], sample, _history.ToArray(), Methods(cumulative, oldest));
    }

    private static NodeView ToView(NodeProbe p, Dictionary<string, Dictionary<string, ShardCount>> shards)
    {
        var s = p.Stats;
        return new NodeView(
            p.Address, p.Roles, p.Status, s is not null,
            s?.UptimeSeconds, s?.CpuPercent, s?.WorkingSetBytes, s?.GcHeapBytes,
            (long)(s?.Metrics.Gauge(MetricNames.ActiveUsers) ?? 0),
            (long)(s?.Metrics.Gauge(MetricNames.ActiveSessions) ?? 0),
            (long)(s?.Metrics.Gauge(MetricNames.Unsaved) ?? 0),
            shards.TryGetValue(p.Address, out var byType) ? byType : new Dictionary<string, ShardCount>());
    }

    private static List<MethodView> Methods(Cumulative now, Cumulative? then)
    {
        var seconds = then is null ? 0 : (now.At - then.At).TotalSeconds;
        var views = new List<MethodView>();
        foreach (var (key, stat) in now.Methods)
        {
            // A method the older sample did not know yet had all its calls inside the window.
            var window = then is null ? HistogramData.Empty
                : then.Methods.TryGetValue(key, out var before) ? stat.Latency.Minus(before.Latency) : stat.Latency;
            views.Add(new MethodView(
                stat.Grain, stat.Message,
                PerSecond(window.Count, seconds),
                stat.Latency.Count,
                Math.Round(window.MeanMs, 3),
                Math.Round(window.PercentileMs(0.99), 3),
                stat.Errors));
        }
        return [.. views.OrderByDescending(v => v.CallsPerSecond).ThenByDescending(v => v.Calls)];
    }

    private static Dictionary<string, MethodStat> MergeMethods(IEnumerable<NodeStats> nodes)
    {
        var merged = new Dictionary<string, MethodStat>(StringComparer.Ordinal);
        foreach (var m in nodes.SelectMany(n => n.Methods))
        {
            var key = m.Grain + "." + m.Message;
            merged[key] = merged.TryGetValue(key, out var sum)
                ? sum with { Errors = sum.Errors + m.Errors, Latency = sum.Latency.Add(m.Latency) }
                : m;
        }
        return merged;
    }

    private static long Delta(NodeStats now, NodeStats before, string counter) =>
        Math.Max(0, now.Metrics.Counter(counter) - before.Metrics.Counter(counter));

    private static double PerSecond(double count, double seconds) => seconds > 0 ? Math.Round(count / seconds, 1) : 0;

    private sealed record Cumulative(DateTimeOffset At, HistogramData ContextReads, Dictionary<string, MethodStat> Methods);
}
