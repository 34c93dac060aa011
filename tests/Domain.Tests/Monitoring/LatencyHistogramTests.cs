using System.Diagnostics;
using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Domain.Tests.Monitoring;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_of_a_uniform_spread_are_within_a_bucket_of_the_truth()
    {
        var h = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
        {
            h.RecordMicros(ms * 1000.0);
        }
        var data = h.Snapshot();
        Assert.Equal(1000, data.Count);
        Assert.InRange(data.PercentileMs(0.50), 500 / 1.26, 500 * 1.26);
        Assert.InRange(data.PercentileMs(0.99), 990 / 1.26, 990 * 1.26);
        Assert.InRange(data.MeanMs, 500.5 * 0.999, 500.5 * 1.001);
    }

    [Fact]
    public void One_slow_call_in_a_hundred_sets_the_p99_but_not_the_p50()
    {
        var h = new LatencyHistogram();
        for (var i = 0; i < 99; i++)
        {
            h.RecordMicros(100);
        }
        h.RecordMicros(50_000);
        var data = h.Snapshot();
        Assert.InRange(data.PercentileMs(0.50), 0.079, 0.1);
        Assert.InRange(data.PercentileMs(0.995), 39.8, 50.2);
    }

    [Fact]
    public void Stopwatch_ticks_land_in_the_bucket_of_their_microseconds()
    {
        var h = new LatencyHistogram();
        h.RecordTicks(Stopwatch.Frequency / 1000 * 3); // 3 ms
        Assert.Equal(LatencyHistogram.BucketOf(3000), Array.FindIndex(h.Snapshot().Counts, c => c == 1));
        Assert.InRange(h.Snapshot().SumMs, 2.999, 3.001);
    }

    [Fact]
    public void Empty_histogram_has_zero_percentiles_and_overflow_goes_to_the_last_bucket()
    {
        Assert.Equal(0, HistogramData.Empty.PercentileMs(0.99));
        var h = new LatencyHistogram();
        h.RecordMicros(1e12);
        Assert.Equal(1, h.Snapshot().Counts[^1]);
    }

    [Fact]
    public void Minus_gives_the_window_between_two_cumulative_snapshots_and_Add_merges_nodes()
    {
        var h = new LatencyHistogram();
        h.RecordMicros(10);
        var before = h.Snapshot();
        h.RecordMicros(10_000);
        h.RecordMicros(10_000);
        var window = h.Snapshot().Minus(before);
        Assert.Equal(2, window.Count);
        Assert.InRange(window.PercentileMs(0.5), 7.9, 10.01);
        Assert.Equal(5, window.Add(h.Snapshot()).Count);
    }

    [Fact]
    public void Concurrent_writers_lose_no_counts()
    {
        var h = new LatencyHistogram();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                h.RecordMicros(i % 500);
            }
        });
        Assert.Equal(80_000, h.Snapshot().Count);
    }
}
