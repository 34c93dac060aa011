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
    IHostApplicationLifetime lifetime,
    ILogger<AkkaClusterService> log) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _sweeper = Task.CompletedTask;
    private Task _watchdog = Task.CompletedTask;
    private volatile bool _restarting;

    public ActorSystem System { get; private set; } = null!;

    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    public bool IsUp => System is not null && Cluster.SelfMember.Status == MemberStatus.Up;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        StartSystem();
        if (!options.HostsSilo && options.Seeds.Count > 0)
        {
            _watchdog = Task.Run(() => RejoinWhenOrphanedAsync(_stop.Token));
        }
        return Task.CompletedTask;
    }

    private void StartSystem()
    {
        System = ActorSystem.Create(options.SystemName, HoconBuilder.Build(options));
        StopProcessWhenSystemEnds();
        var cluster = Cluster;
        if (options.Seeds.Count == 0)
        {
            cluster.Join(cluster.SelfAddress);
        }
        log.LogInformation("Node {Address} started with roles [{Roles}]", cluster.SelfAddress, string.Join(", ", options.Roles));
        var self = cluster.SelfAddress;
        cluster.RegisterOnMemberUp(() => log.LogInformation("Node {Address} is up", self));

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
            System.ActorOf(TopologyWatcher.Props(sweeper), "topology-watcher");
            _sweeper = Task.Run(() => sweeper.RunAsync(_stop.Token));
        }
        else
        {
            var users = sharding.StartProxy(EntityIds.UserGrainType, EntityIds.SiloRole, extractor);
            var sessions = sharding.StartProxy(EntityIds.SessionGrainType, EntityIds.SiloRole, extractor);
            client.Attach(users, sessions);
        }
    }

    /// <summary>
    /// A gateway stays in its cluster when every silo leaves; silos that start again from the seed
    /// list then form a new cluster without it. A gateway that has seen no silo for a while starts
    /// a fresh ActorSystem and joins through the seeds again (HTTP keeps being served meanwhile:
    /// ingestion needs only storage, reads fall back to storage).
    /// </summary>
    private async Task RejoinWhenOrphanedAsync(CancellationToken ct)
    {
        var lastSilo = DateTime.UtcNow;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            var state = Cluster.State;
            if (state.Members.Any(m => m.HasRole(EntityIds.SiloRole) && m.Status == MemberStatus.Up && !state.Unreachable.Contains(m)))
            {
                lastSilo = DateTime.UtcNow;
                continue;
            }
            if (DateTime.UtcNow - lastSilo < options.OrphanedAfter)
            {
                continue;
            }
            log.LogWarning("No silo reachable from {Address} for {Seconds:F0} s; rejoining the cluster through the seeds", Cluster.SelfAddress, (DateTime.UtcNow - lastSilo).TotalSeconds);
            _restarting = true;
            try
            {
                await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
                await System.WhenTerminated.ConfigureAwait(false);
                StartSystem();
            }
            finally
            {
                _restarting = false;
            }
            lastSilo = DateTime.UtcNow;
        }
    }

    /// <summary>
    /// A node the split-brain resolver downed (or that could not join) ends its ActorSystem; a process
    /// left without one would take requests it cannot serve, so it exits and its supervisor
    /// (Kubernetes, docker-compose, local-cluster.sh's user) starts a fresh one.
    /// </summary>
    private void StopProcessWhenSystemEnds()
    {
        var address = Cluster.SelfAddress;
        var system = System;
        system.WhenTerminated.ContinueWith(_ =>
        {
            if (!_stop.IsCancellationRequested && !_restarting && ReferenceEquals(system, System))
            {
                log.LogCritical("Node {Address} was removed from the cluster; stopping the process", address);
                lifetime.StopApplication();
            }
        }, TaskScheduler.Default);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_sweeper, _watchdog).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        // Leaving the cluster hands this node's shards off; grains commit before they stop.
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        _stop.Dispose();
    }
}
