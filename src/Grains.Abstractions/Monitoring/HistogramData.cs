using System.Text.Json.Serialization;

namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// Bucket counts over <see cref="BoundsMicros"/> (plus overflow) and the summed time; plain data so it
/// crosses the wire (System.Text.Json codec, by namespace) and merges across nodes.
/// </summary>
public sealed record HistogramData(long[] Counts, double SumMs)
{
    /// <summary>Upper bucket bounds in microseconds, 10^(k/10) for k = 0..80 (1 µs .. 100 s); one overflow bucket follows.</summary>
    public static readonly double[] BoundsMicros = MakeBounds();

    public static readonly HistogramData Empty = new(new long[BoundsMicros.Length + 1], 0);

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
        var bounds = BoundsMicros;
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

    private static double[] MakeBounds()
    {
        var bounds = new double[81];
        for (var k = 0; k < bounds.Length; k++)
        {
            bounds[k] = Math.Round(Math.Pow(10, k / 10.0), 3);
        }
        return bounds;
    }
}
