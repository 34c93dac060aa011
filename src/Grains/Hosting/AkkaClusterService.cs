using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Actors;
using SessionInsights.Grains.Cluster;
using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// Owns this node's <see cref="ActorSystem"/>: joins the cluster, hosts the grain shard regions when
/// the node is a silo (or proxies to them when it is only a gateway), and leaves gracefully on stop
/// so shards hand off before the process exits.
/// </summary>
public sealed class AkkaClusterService(
    ClusterOptions options,
    GrainClient client,
    IServiceProvider services,
    ILogger<AkkaClusterService> log) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _sweeper = Task.CompletedTask;

    public ActorSystem System { get; private set; } = null!;

    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    public bool IsUp => System is not null && Cluster.SelfMember.Status == MemberStatus.Up;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        System = ActorSystem.Create(options.SystemName, HoconBuilder.Build(options));
        var cluster = Cluster;
        if (options.Seeds.Count == 0)
        {
            cluster.Join(cluster.SelfAddress);
        }
        log.LogInformation("Node {Address} started with roles [{Roles}]", cluster.SelfAddress, string.Join(", ", options.Roles));

        // Every node answers the dashboard's questions about itself (CPU, grains, methods, logs).
        System.ActorOf(NodeStatsActor.Props((NodeMonitor)services.GetService(typeof(NodeMonitor))!, [.. options.Roles]), GetNodeStats.ActorName);

        var sharding = ClusterSharding.Get(System);
        var settings = (GrainSettings)services.GetService(typeof(GrainSettings))!;
        var extractor = new GrainMessageExtractor(settings.MaxShards);
        if (options.HostsSilo)
        {
            var grainServices = (GrainServices)services.GetService(typeof(GrainServices))!;
            var shardSettings = ClusterShardingSettings.Create(System).WithRole(EntityIds.SiloRole);
            var sessions = sharding.Start(EntityIds.SessionGrainType, id => SessionGrain.Props(id, grainServices), shardSettings, extractor, sharding.DefaultShardAllocationStrategy(shardSettings), StopGrain.Instance);
            grainServices.SessionRegion = sessions;
            var users = sharding.Start(EntityIds.UserGrainType, id => UserGrain.Props(id, grainServices), shardSettings, extractor, sharding.DefaultShardAllocationStrategy(shardSettings), StopGrain.Instance);
            client.Attach(users, sessions);
            var sweeper = (PendingSweeper)services.GetService(typeof(PendingSweeper))!;
            _sweeper = Task.Run(() => sweeper.RunAsync(_stop.Token));
        }
        else
        {
            var users = sharding.StartProxy(EntityIds.UserGrainType, EntityIds.SiloRole, extractor);
            var sessions = sharding.StartProxy(EntityIds.SessionGrainType, EntityIds.SiloRole, extractor);
            client.Attach(users, sessions);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _sweeper.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        // Leaving the cluster hands this node's shards off; grains commit before they stop.
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        _stop.Dispose();
    }
}
