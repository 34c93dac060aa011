using SessionInsights.Grains.Abstractions;

namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// Everything the insights hub grain holds, without Orleans: the node table, the traffic history,
/// bounded rings of every node's log lines and pattern firings, and per-minute firing counts per project and rule.
/// </summary>
public sealed class HubState
{
    public static readonly TimeSpan MissingAfter = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DropAfter = TimeSpan.FromSeconds(60);
    public const int LogCapacity = 500;
    public const int FiringCapacity = 20_000;

    private readonly NodeTable _nodes = new(MissingAfter, DropAfter);
    private readonly OverviewBuilder _overview = new();
    private readonly RingBuffer<NodeLogLine> _logs = new(LogCapacity);
    private readonly PatternFirings _firings = new(FiringCapacity);
    private readonly RuleFiringCounts _ruleCounts = new();

    public ReportAck Report(NodeReport report, DateTimeOffset now)
    {
        var node = _nodes.Update(report.Stats, now);
        var address = report.Stats.Address;
        node.LogsNext = Accept(report.Logs, report.LogsFrom, node, node.LogsNext,
            l => _logs.Add(new NodeLogLine(address, l.At, l.Level, l.Category, l.Message)));
        node.FiringsNext = Accept(report.Firings, report.FiringsFrom, node, node.FiringsNext, f =>
        {
            _firings.Add(f);
            _ruleCounts.Add(f, now);
        });
        return new ReportAck(node.LogsNext, node.FiringsNext);
    }

    /// <summary>Once a second: forgets silent nodes and adds a traffic sample to the history.</summary>
    public void Tick(DateTimeOffset now)
    {
        _nodes.Prune(now);
        _ruleCounts.Prune(now);
        _overview.Sample(_nodes, now);
    }

    public ClusterOverview Overview(DateTimeOffset now) => _overview.Overview(_nodes, now);

    public IReadOnlyList<PatternCount> Patterns(DateTimeOffset now, TimeSpan window, int usersPerRule) =>
        PatternFirings.Summarize(_firings.Since(now - window), usersPerRule);

    /// <summary>Per rule of the project: firings in the last hour and day (rules that did not fire are left out).</summary>
    public IReadOnlyList<RuleFiringCount> RuleFirings(long projectId, DateTimeOffset now) => _ruleCounts.For(projectId, now);

    public IReadOnlyList<NodeLogLine> Logs(int max) => [.. _logs.ToArray().OrderBy(l => l.At).TakeLast(Math.Max(0, max))];

    /// <summary>
    /// Adds the items numbered <paramref name="expected"/> onwards (earlier ones this hub already has)
    /// and returns the number it wants next. A node this hub has just met that sends items from past
    /// 0 (the hub moved or restarted, the node did not) is asked for everything it still keeps instead.
    /// </summary>
    private static long Accept<T>(IReadOnlyList<T> items, long from, NodeEntry node, long expected, Action<T> add)
    {
        if (node.IsNew && from > 0)
        {
            return 0;
        }
        for (var i = (int)Math.Clamp(expected - from, 0, items.Count); i < items.Count; i++)
        {
            add(items[i]);
        }
        return Math.Max(expected, from + items.Count);
    }
}
