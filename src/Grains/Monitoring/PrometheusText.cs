using System.Globalization;
using System.Text;

namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// Nodes' figures in the Prometheus text exposition format (version 0.0.4): counters end in
/// <c>_total</c>, metric names use underscores, every series carries a <c>node</c> label, and each
/// family is written once with its <c>TYPE</c> line.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Histogram buckets written: every fifth bound (half decades), in milliseconds.</summary>
    private static readonly int[] ExportedBounds = [.. Enumerable.Range(0, LatencyHistogram.BoundsMicros.Length).Where(i => i % 5 == 0)];

    public static string Write(IReadOnlyList<NodeStats> nodes)
    {
        var families = new SortedDictionary<string, Family>(StringComparer.Ordinal);
        Family F(string name, string type) => families.TryGetValue(name, out var f) ? f : families[name] = new Family(type);

        foreach (var n in nodes)
        {
            var node = Label("node", n.Address);
            F("si_node_uptime_seconds", "gauge").Add($"{{{node}}}", n.UptimeSeconds);
            F("si_node_cpu_percent", "gauge").Add($"{{{node}}}", n.CpuPercent);
            F("si_node_working_set_bytes", "gauge").Add($"{{{node}}}", n.WorkingSetBytes);
            F("si_node_gc_heap_bytes", "gauge").Add($"{{{node}}}", n.GcHeapBytes);
            foreach (var (name, value) in n.Metrics.Counters)
            {
                F(Name(name) + "_total", "counter").Add($"{{{node}}}", value);
            }
            foreach (var (name, value) in n.Metrics.Gauges)
            {
                F(Name(name), "gauge").Add($"{{{node}}}", value);
            }
            foreach (var (name, h) in n.Metrics.Histograms)
            {
                AddHistogram(F(Name(name), "histogram"), node, h);
            }
            foreach (var m in n.Methods)
            {
                var labels = $"{node},{Label("grain", m.Grain)},{Label("message", m.Message)}";
                F("si_grain_method_errors_total", "counter").Add($"{{{labels}}}", m.Errors);
                AddHistogram(F("si_grain_method_duration_ms", "histogram"), labels, m.Latency);
            }
        }

        var text = new StringBuilder();
        foreach (var (name, family) in families)
        {
            text.Append("# TYPE ").Append(name).Append(' ').Append(family.Type).Append('\n');
            foreach (var (suffix, labels, value) in family.Samples)
            {
                text.Append(name).Append(suffix).Append(labels).Append(' ').Append(Number(value)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static void AddHistogram(Family family, string labels, HistogramData h)
    {
        long cumulative = 0;
        var next = 0;
        foreach (var i in ExportedBounds)
        {
            for (; next <= i && next < h.Counts.Length; next++)
            {
                cumulative += h.Counts[next];
            }
            family.Add("_bucket", $"{{{labels},le=\"{(LatencyHistogram.BoundsMicros[i] / 1000.0).ToString("G6", CultureInfo.InvariantCulture)}\"}}", cumulative);
        }
        var count = h.Counts.Sum();
        family.Add("_bucket", $"{{{labels},le=\"+Inf\"}}", count);
        family.Add("_sum", $"{{{labels}}}", h.SumMs);
        family.Add("_count", $"{{{labels}}}", count);
    }

    /// <summary>"si.ingest.accepted" → "si_ingest_accepted": only [a-zA-Z0-9_:] is allowed.</summary>
    public static string Name(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '_' or ':'))
            {
                chars[i] = '_';
            }
        }
        return new string(chars);
    }

    /// <summary>A label pair with the value escaped as the format requires (backslash, quote, newline).</summary>
    public static string Label(string name, string value) =>
        $"{name}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Family(string type)
    {
        public string Type { get; } = type;

        public List<(string Suffix, string Labels, double Value)> Samples { get; } = [];

        public void Add(string labels, double value) => Samples.Add(("", labels, value));

        public void Add(string suffix, string labels, double value) => Samples.Add((suffix, labels, value));
    }
}
