using Microsoft.Extensions.Logging;

namespace SessionInsights.Grains.Monitoring;

/// <summary>This node's latest log lines, for the insights page's log tail (the node reporter sends the new ones to the hub).</summary>
public sealed class LogRing(int capacity = 500)
{
    private readonly RingBuffer<LogLine> _ring = new(capacity);

    public void Add(DateTimeOffset at, LogLevel level, string category, string message) =>
        _ring.Add(new LogLine(at, level.ToString(), category, message));

    public LogLine[] Latest(int max)
    {
        var all = _ring.ToArray();
        return all.Length <= max ? all : all[^max..];
    }

    /// <inheritdoc cref="RingBuffer{T}.ReadFrom"/>
    public (LogLine[] Lines, long First) ReadFrom(long from, int max) => _ring.ReadFrom(from, max);
}
