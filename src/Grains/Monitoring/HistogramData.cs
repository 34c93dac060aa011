using System.Text.Json.Serialization;

namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// Bucket counts over <see cref="LatencyHistogram.BoundsMicros"/> (plus overflow) and the summed time;
/// plain data so it crosses the wire and merges across nodes.
/// </summary>
public sealed record HistogramData(long[] Counts, double SumMs)
{
    public static readonly HistogramData Empty = new(new long[LatencyHistogram.BoundsMicros.Length + 1], 0);

    [JsonIgnore]
    public long Count => Counts.Sum();

    [JsonIgnore]
    public double MeanMs => Count == 0 ? 0 : SumMs / Count;

    public HistogramData Add(HistogramData other)
    {
        var counts = new long[Math.Max(Counts.Length, other.Counts.Length)];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = (i < Counts.Length ? Counts[i] : 0) + (i < other.Counts.Length ? other.Counts[i] : 0);
        }
        return new HistogramData(counts, SumMs + other.SumMs);
    }

    /// <summary>What happened between <paramref name="earlier"/> and this (cumulative) histogram.</summary>
    public HistogramData Minus(HistogramData earlier)
    {
        var counts = new long[Counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Math.Max(0, Counts[i] - (i < earlier.Counts.Length ? earlier.Counts[i] : 0));
        }
        return new HistogramData(counts, Math.Max(0, SumMs - earlier.SumMs));
    }

    /// <summary>The q-quantile (0..1) in milliseconds, interpolated inside its bucket; 0 when empty.</summary>
    public double PercentileMs(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }
        var bounds = LatencyHistogram.BoundsMicros;
        var rank = q * total;
        long seen = 0;
        for (var i = 0; i < Counts.Length; i++)
        {
            if (Counts[i] == 0)
            {
                continue;
            }
            if (seen + Counts[i] >= rank)
            {
                var lower = i == 0 ? 0 : bounds[i - 1];
                var upper = i < bounds.Length ? bounds[i] : bounds[^1];
                var within = (rank - seen) / Counts[i];
                return (lower + (upper - lower) * within) / 1000.0;
            }
            seen += Counts[i];
        }
        return bounds[^1] / 1000.0;
    }
}
