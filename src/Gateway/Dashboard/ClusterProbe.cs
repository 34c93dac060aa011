using Akka.Actor;
using Akka.Cluster;
using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Gateway.Dashboard;

/// <summary>
/// Asks every cluster member's <see cref="NodeStatsActor"/> for its figures at once, with a short
/// timeout: a node that does not answer is shown with its membership status and no figures.
/// </summary>
public sealed class ClusterProbe(AkkaClusterService akka)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(1500);

    public bool IsReady => akka.System is not null;

    public async Task<IReadOnlyList<NodeProbe>> ProbeAsync(GetNodeStats query, CancellationToken ct)
    {
        var state = akka.Cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var probes = state.Members.Select(async m =>
        {
            var status = unreachable.Contains(m.Address) ? "unreachable" : StatusName(m.Status);
            NodeStats? stats = null;
            if (status != "unreachable")
            {
                try
                {
                    stats = await akka.System.ActorSelection(m.Address + GetNodeStats.ActorPath).Ask<NodeStats>(query, Timeout, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is AskTimeoutException or TimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    // Shown as a node that did not answer.
                }
            }
            return new NodeProbe(m.Address.ToString(), [.. m.Roles.Order(StringComparer.Ordinal)], status, stats);
        });
        return await Task.WhenAll(probes).ConfigureAwait(false);
    }

    private static string StatusName(MemberStatus status) => status switch
    {
        MemberStatus.Up => "up",
        MemberStatus.Leaving or MemberStatus.Exiting => "leaving",
        MemberStatus.Joining or MemberStatus.WeaklyUp => "joining",
        _ => status.ToString().ToLowerInvariant(),
    };
}

/// <summary>One member: what the cluster says about it, and its own figures when it answered.</summary>
public sealed record NodeProbe(string Address, IReadOnlyList<string> Roles, string Status, NodeStats? Stats);
