using System.Collections.Concurrent;
using System.Diagnostics;

namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// Per message type of one grain type: calls, errors and a latency histogram (the Orleans Dashboard's
/// "grain methods"). Recording after the first call of a type is a dictionary hit plus interlocked
/// adds: no allocation, no lock.
/// </summary>
public sealed class MethodTable(string grain)
{
    private readonly ConcurrentDictionary<Type, Cell> _cells = new();

    public string Grain { get; } = grain;

    public void Record(Type message, long startTimestamp, bool failed)
    {
        var elapsed = Stopwatch.GetTimestamp() - startTimestamp;
        if (!_cells.TryGetValue(message, out var cell))
        {
            cell = _cells.GetOrAdd(message, static t => new Cell(t.Name));
        }
        cell.Latency.RecordTicks(elapsed);
        if (failed)
        {
            Interlocked.Increment(ref cell.Errors);
        }
    }

    public IEnumerable<MethodStat> Snapshot() =>
        _cells.Values.Select(c => new MethodStat(Grain, c.Name, Interlocked.Read(ref c.Errors), c.Latency.Snapshot()));

    private sealed class Cell(string name)
    {
        public readonly string Name = name;
        public readonly LatencyHistogram Latency = new();
        public long Errors;
    }
}

/// <summary>Cumulative figures of one grain method (message type) on one node.</summary>
public sealed record MethodStat(string Grain, string Message, long Errors, HistogramData Latency);
