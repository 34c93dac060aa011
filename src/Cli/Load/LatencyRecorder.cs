using System.Diagnostics;

namespace SessionInsights.Cli.Load;

/// <summary>Percentiles of a set of latencies, in milliseconds.</summary>
internal sealed record LatencySummary(long Count, double P50, double P95, double P99, double Max)
{
    public static LatencySummary Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN);
}

/// <summary>
/// Keeps every sample and sorts once at the end: a 20 s run is at most a few hundred thousand
/// doubles, so exact percentiles cost less than getting a histogram's buckets right.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly List<double> _samples = new(capacity: 1 << 16);
    private readonly Lock _lock = new();

    public void Record(long startTimestamp, long endTimestamp) =>
        RecordMilliseconds(Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMilliseconds);

    public void RecordMilliseconds(double milliseconds)
    {
        lock (_lock)
        {
            _samples.Add(milliseconds);
        }
    }

    public LatencySummary Summarize()
    {
        double[] sorted;
        lock (_lock)
        {
            sorted = [.. _samples];
        }
        if (sorted.Length == 0)
        {
            return LatencySummary.Empty;
        }
        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99), sorted[^1]);
    }

    /// <summary>Nearest rank: the smallest sample that at least p% of the samples are ≤ to.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
