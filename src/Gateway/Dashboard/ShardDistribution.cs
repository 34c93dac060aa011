using Akka.Actor;
using Akka.Cluster.Sharding;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Dashboard;

/// <summary>Per silo and grain type: shards hosted and entities (active grains) in them, from sharding itself.</summary>
public sealed class ShardDistribution(AkkaClusterService akka)
{
    public static readonly string[] GrainTypes = [EntityIds.UserGrainType, EntityIds.SessionGrainType];

    /// <summary>address → grain type → (shards, entities); a type whose stats did not come back is left out.</summary>
    public async Task<Dictionary<string, Dictionary<string, ShardCount>>> ReadAsync(CancellationToken ct)
    {
        var result = new Dictionary<string, Dictionary<string, ShardCount>>(StringComparer.Ordinal);
        var sharding = ClusterSharding.Get(akka.System);
        foreach (var type in GrainTypes)
        {
            ClusterShardingStats stats;
            try
            {
                var region = sharding.ShardRegion(type);
                stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(ClusterProbe.Timeout), ClusterProbe.Timeout + TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AskTimeoutException or TimeoutException or ArgumentException or InvalidOperationException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                continue;
            }
            foreach (var (address, region) in stats.Regions)
            {
                if (!result.TryGetValue(address.ToString(), out var byType))
                {
                    result[address.ToString()] = byType = new Dictionary<string, ShardCount>(StringComparer.Ordinal);
                }
                byType[type] = new ShardCount(region.Stats.Count, region.Stats.Values.Sum());
            }
        }
        return result;
    }
}

public sealed record ShardCount(int Shards, int Entities);
