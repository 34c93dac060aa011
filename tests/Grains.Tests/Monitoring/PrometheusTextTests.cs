using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Grains.Tests.Monitoring;

public sealed class PrometheusTextTests
{
    private static NodeStats Node(string address, long accepted, HistogramData reads, IReadOnlyList<MethodStat>? methods = null) => new(
        address, ["silo"], DateTimeOffset.UnixEpoch, 12.5, 3.25, 2, 1000, 500,
        new MetricsSnapshot(
            new Dictionary<string, long> { ["si.ingest.accepted"] = accepted },
            new Dictionary<string, double> { ["si.grains.active_users"] = 7 },
            new Dictionary<string, HistogramData> { ["si.context.read_ms"] = reads }),
        methods ?? [], [], []);

    [Fact]
    public void Counters_gauges_and_node_figures_are_one_family_each_with_a_node_label()
    {
        var text = PrometheusText.Write([Node("akka.tcp://a@h:1", 10, HistogramData.Empty), Node("akka.tcp://a@h:2", 20, HistogramData.Empty)]);
        var lines = text.Split('\n');

        Assert.Single(lines, l => l == "# TYPE si_ingest_accepted_total counter");
        Assert.Contains("si_ingest_accepted_total{node=\"akka.tcp://a@h:1\"} 10", lines);
        Assert.Contains("si_ingest_accepted_total{node=\"akka.tcp://a@h:2\"} 20", lines);
        Assert.Contains("# TYPE si_grains_active_users gauge", lines);
        Assert.Contains("si_grains_active_users{node=\"akka.tcp://a@h:1\"} 7", lines);
        Assert.Contains("si_node_cpu_percent{node=\"akka.tcp://a@h:1\"} 3.25", lines);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Histograms_have_cumulative_buckets_ending_in_inf_with_sum_and_count()
    {
        var h = new LatencyHistogram();
        h.RecordMicros(500);      // 0.5 ms
        h.RecordMicros(5_000);    // 5 ms
        h.RecordMicros(5_000_000); // 5 s
        var text = PrometheusText.Write([Node("n", 0, h.Snapshot())]);
        var lines = text.Split('\n');

        Assert.Contains("si_context_read_ms_bucket{node=\"n\",le=\"0.1\"} 0", lines);
        Assert.Contains("si_context_read_ms_bucket{node=\"n\",le=\"1\"} 1", lines);
        Assert.Contains("si_context_read_ms_bucket{node=\"n\",le=\"10\"} 2", lines);
        Assert.Contains("si_context_read_ms_bucket{node=\"n\",le=\"10000\"} 3", lines);
        Assert.Contains("si_context_read_ms_bucket{node=\"n\",le=\"+Inf\"} 3", lines);
        Assert.Contains("si_context_read_ms_count{node=\"n\"} 3", lines);
        Assert.Single(lines, l => l.StartsWith("si_context_read_ms_sum{node=\"n\"} 5005.5", StringComparison.Ordinal));
        var buckets = lines.Where(l => l.StartsWith("si_context_read_ms_bucket", StringComparison.Ordinal)).Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..])).ToList();
        Assert.Equal(buckets.Order(), buckets);
    }

    [Fact]
    public void Grain_methods_carry_grain_and_message_labels_and_values_are_escaped()
    {
        var text = PrometheusText.Write([Node("n", 0, HistogramData.Empty, [new MethodStat("UserGrain", "Deliver\"Events\"", 4, HistogramData.Empty)])]);
        Assert.Contains("si_grain_method_errors_total{node=\"n\",grain=\"UserGrain\",message=\"Deliver\\\"Events\\\"\"} 4", text.Split('\n'));
        Assert.Equal("a_b_c", PrometheusText.Name("a.b-c"));
    }
}
