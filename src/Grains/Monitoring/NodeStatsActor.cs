using Akka.Actor;

namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// Runs on every node at <see cref="GetNodeStats.ActorPath"/> and answers with this node's figures,
/// so a gateway that hosts no grains can still show every silo's.
/// </summary>
public sealed class NodeStatsActor : ReceiveActor
{
    private static readonly TimeSpan PatternWindow = TimeSpan.FromHours(1);
    private readonly ProcessSampler _process = new();

    public NodeStatsActor(NodeMonitor monitor, IReadOnlyList<string> roles)
    {
        var address = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        Receive<GetNodeStats>(q =>
        {
            var (uptime, cpu, workingSet, heap) = _process.Sample();
            var now = monitor.Time.GetUtcNow();
            Sender.Tell(new NodeStats(
                address, roles, now, uptime, cpu, Environment.ProcessorCount, workingSet, heap,
                monitor.Collector.Snapshot(),
                [.. monitor.Methods.Snapshot()],
                q.IncludePatterns ? monitor.Patterns.Since(now - PatternWindow) : [],
                q.IncludeLogs ? monitor.Logs.Latest(200) : []));
        });
    }

    public static Props Props(NodeMonitor monitor, IReadOnlyList<string> roles) =>
        Akka.Actor.Props.Create(() => new NodeStatsActor(monitor, roles));
}
