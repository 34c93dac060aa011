using Akka.Cluster.Sharding;
using SessionInsights.Grains.Abstractions.Messages;

namespace SessionInsights.Grains.Cluster;

/// <summary>Routes a grain message to its entity by <see cref="IGrainMessage.EntityId"/>.</summary>
public sealed class GrainMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string EntityId(object message) => message switch
    {
        IGrainMessage m => m.EntityId,
        _ => null!,
    };
}
