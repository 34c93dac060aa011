using Orleans.Concurrency;
using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Grains.Abstractions;

/// <summary>
/// The cluster's one collection point for the insights page (key 0): every process, silos and
/// client-mode gateways alike, reports its figures every second, so a page on any gateway sees all
/// nodes with one grain call instead of asking each node.
/// </summary>
public interface IInsightsHubGrain : IGrainWithIntegerKey
{
    Task<ReportAck> Report(NodeReport report);

    [ReadOnly]
    Task<ClusterOverview> GetOverview();

    /// <summary>Per rule: firings in the last <paramref name="window"/>, with the latest users.</summary>
    [ReadOnly]
    Task<IReadOnlyList<PatternCount>> GetPatterns(TimeSpan window, int usersPerRule);

    /// <summary>Per rule of the project: firings in the last hour and the last day; rules that did not fire are left out.</summary>
    [ReadOnly]
    Task<IReadOnlyList<RuleFiringCount>> GetRuleFirings(long projectId);

    /// <summary>The latest log lines of every node, oldest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<NodeLogLine>> GetLogs(int max);
}

public static class InsightsHubGrainExtensions
{
    /// <summary>The one hub of the cluster.</summary>
    public static IInsightsHubGrain GetInsightsHub(this IGrainFactory grains) => grains.GetGrain<IInsightsHubGrain>(0);
}
