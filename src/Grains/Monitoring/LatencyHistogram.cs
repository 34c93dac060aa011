using System.Diagnostics;

namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// A latency histogram with fixed buckets (ten per decade, 1 µs to 100 s), safe for concurrent
/// writers: recording is one binary search and two interlocked adds, no allocation. Percentiles
/// interpolate inside the bucket, so they are within ~12% of the true value.
/// </summary>
public sealed class LatencyHistogram
{
    private readonly long[] _counts = new long[HistogramData.BoundsMicros.Length + 1];
    private long _sumTicks;

    public void RecordSince(long startTimestamp) => RecordTicks(Stopwatch.GetTimestamp() - startTimestamp);

    public void RecordTicks(long elapsedTicks)
    {
        Interlocked.Increment(ref _counts[BucketOf(elapsedTicks * 1_000_000.0 / Stopwatch.Frequency)]);
        Interlocked.Add(ref _sumTicks, elapsedTicks);
    }

    public void RecordMicros(double micros)
    {
        Interlocked.Increment(ref _counts[BucketOf(micros)]);
        Interlocked.Add(ref _sumTicks, (long)(micros * Stopwatch.Frequency / 1_000_000.0));
    }

    /// <summary>A copy of the bucket counts (last one: above the last bound) and the total time.</summary>
    public HistogramData Snapshot()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }
        return new HistogramData(counts, Interlocked.Read(ref _sumTicks) * 1000.0 / Stopwatch.Frequency);
    }

    internal static int BucketOf(double micros)
    {
        var bounds = HistogramData.BoundsMicros;
        int lo = 0, hi = bounds.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (micros <= bounds[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
