namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// The insights hub's view of the nodes: each node's latest report (by the hub's clock when it came)
/// and its rates over its last two reports. A node with no report for <c>missingAfter</c> shows as
/// missing; after <c>dropAfter</c> it is forgotten. The counters and histograms of nodes forgotten or
/// restarted are kept as "retired" totals, so cluster totals (ingestion lag) do not jump when a
/// node goes.
/// </summary>
public sealed class NodeTable(TimeSpan missingAfter, TimeSpan dropAfter)
{
    private readonly Dictionary<string, NodeEntry> _nodes = new(StringComparer.Ordinal);
    private MetricsSnapshot _retired = MetricsSnapshot.Empty;

    public int Count => _nodes.Count;

    /// <summary>Stores a node's report. <see cref="NodeEntry.IsNew"/> says whether the hub did not know this process before.</summary>
    public NodeEntry Update(NodeStats stats, DateTimeOffset now)
    {
        if (!_nodes.TryGetValue(stats.Address, out var entry))
        {
            entry = new NodeEntry(stats, now) { IsNew = true };
            _nodes[stats.Address] = entry;
            return entry;
        }
        entry.IsNew = false;
        var before = entry.Stats;
        if (stats.UptimeSeconds < before.UptimeSeconds)
        {
            // The same address came back as a new process: its counters and numbering start again.
            Retire(before);
            entry.Rates = NodeRates.Zero;
            entry.LogsNext = 0;
            entry.FiringsNext = 0;
        }
        else if (stats.At > before.At)
        {
            entry.Rates = NodeRates.Between(before, stats);
        }
        entry.Stats = stats;
        entry.ReceivedAt = now;
        return entry;
    }

    /// <summary>Forgets nodes silent for longer than <c>dropAfter</c>.</summary>
    public void Prune(DateTimeOffset now)
    {
        foreach (var (address, entry) in _nodes.Where(n => now - n.Value.ReceivedAt > dropAfter).ToList())
        {
            Retire(entry.Stats);
            _nodes.Remove(address);
        }
    }

    public bool IsUp(NodeEntry entry, DateTimeOffset now) => now - entry.ReceivedAt <= missingAfter;

    public IEnumerable<NodeEntry> Up(DateTimeOffset now) => _nodes.Values.Where(n => IsUp(n, now));

    /// <summary>Counters and histograms summed over every node known now or retired; gauges of the nodes up only.</summary>
    public MetricsSnapshot Totals(DateTimeOffset now)
    {
        var total = _retired;
        foreach (var node in _nodes.Values)
        {
            var m = node.Stats.Metrics;
            total = total.Add(IsUp(node, now) ? m : m with { Gauges = [] });
        }
        return total;
    }

    /// <summary>Silos first, then by address.</summary>
    public IReadOnlyList<NodeView> Views(DateTimeOffset now) =>
        [.. _nodes.Values
            .OrderBy(n => n.Stats.Roles.Contains("silo") ? 0 : 1)
            .ThenBy(n => n.Stats.Address, StringComparer.Ordinal)
            .Select(n => View(n, now))];

    private NodeView View(NodeEntry n, DateTimeOffset now)
    {
        var s = n.Stats;
        return new NodeView(
            s.Address, s.Roles, IsUp(n, now) ? "up" : "missing", Math.Round((now - n.ReceivedAt).TotalSeconds, 1),
            s.UptimeSeconds, s.CpuPercent, s.Cores, s.WorkingSetBytes, s.GcHeapBytes,
            (long)s.Metrics.Gauge(MetricNames.ActiveUsers),
            (long)s.Metrics.Gauge(MetricNames.ActiveSessions),
            (long)s.Metrics.Gauge(MetricNames.Unsaved),
            n.Rates.Ingested,
            n.Rates.Processed);
    }

    private void Retire(NodeStats stats) =>
        _retired = _retired.Add(stats.Metrics with { Gauges = [] });
}
