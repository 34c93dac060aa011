using SessionInsights.Cli.Load;

namespace SessionInsights.Domain.Tests.Cli;

public class LatencyRecorderTests
{
    [Fact]
    public void Percentiles_AreNearestRank()
    {
        var recorder = new LatencyRecorder();
        foreach (var ms in Enumerable.Range(1, 100).Reverse())
        {
            recorder.RecordMilliseconds(ms);
        }

        var s = recorder.Summarize();

        Assert.Equal(new LatencySummary(100, 50, 95, 99, 100), s);
    }

    [Fact]
    public void OneSample_IsEveryPercentile() =>
        Assert.Equal(new LatencySummary(1, 7, 7, 7, 7), Record(7).Summarize());

    [Fact]
    public void NoSamples_AreNaN()
    {
        var s = new LatencyRecorder().Summarize();

        Assert.Equal(0, s.Count);
        Assert.True(double.IsNaN(s.P50) && double.IsNaN(s.P99));
    }

    [Fact]
    public void ConcurrentRecords_AreAllKept()
    {
        var recorder = new LatencyRecorder();

        Parallel.For(0, 10_000, i => recorder.RecordMilliseconds(i));

        Assert.Equal(10_000, recorder.Summarize().Count);
    }

    private static LatencyRecorder Record(params double[] samples)
    {
        var r = new LatencyRecorder();
        foreach (var s in samples)
        {
            r.RecordMilliseconds(s);
        }
        return r;
    }
}
