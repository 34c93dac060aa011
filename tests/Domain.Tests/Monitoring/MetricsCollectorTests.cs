using System.Diagnostics.Metrics;
using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Domain.Tests.Monitoring;

public sealed class MetricsCollectorTests
{
    [Fact]
    public void Sums_counters_reads_gauges_and_records_histograms_of_the_named_meters_only()
    {
        using var collector = new MetricsCollector();
        using var ours = new Meter("SessionInsights.Gateway");
        using var other = new Meter("Someone.Else");
        var counter = ours.CreateCounter<long>("test.collector.count");
        var histogram = ours.CreateHistogram<double>("test.collector.ms");
        var level = 41L;
        ours.CreateObservableGauge("test.collector.level", () => level);
        other.CreateCounter<long>("test.collector.foreign").Add(5);

        counter.Add(2);
        counter.Add(3);
        histogram.Record(2.0);
        level = 42;
        var snapshot = collector.Snapshot();

        Assert.Equal(5, snapshot.Counter("test.collector.count"));
        Assert.Equal(42, snapshot.Gauge("test.collector.level"));
        Assert.Equal(1, snapshot.Histogram("test.collector.ms").Count);
        Assert.InRange(snapshot.Histogram("test.collector.ms").SumMs, 1.999, 2.001);
        Assert.False(snapshot.Counters.ContainsKey("test.collector.foreign"));
    }
}
