using Akka.Actor;
using Akka.Cluster;

namespace SessionInsights.Grains.Hosting;

/// <summary>Tells the <see cref="PendingSweeper"/> to hurry whenever a cluster member becomes unreachable, leaves or is removed.</summary>
internal sealed class TopologyWatcher : ReceiveActor
{
    /// <summary>Long enough to cover failure detection, downing and the shards' move.</summary>
    private static readonly TimeSpan HurryFor = TimeSpan.FromSeconds(45);

    public TopologyWatcher(PendingSweeper sweeper)
    {
        Receive<ClusterEvent.UnreachableMember>(_ => sweeper.Hurry(HurryFor));
        Receive<ClusterEvent.MemberLeft>(_ => sweeper.Hurry(HurryFor));
        Receive<ClusterEvent.MemberRemoved>(_ => sweeper.Hurry(HurryFor));
        Receive<ClusterEvent.MemberUp>(_ => sweeper.Hurry(HurryFor));
        ReceiveAny(_ => { });
    }

    public static Props Props(PendingSweeper sweeper) => Akka.Actor.Props.Create(() => new TopologyWatcher(sweeper));

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberLeft), typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.MemberUp));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
