namespace SessionInsights.Grains.Abstractions.Messages;

/// <summary>A message addressed to one grain; <see cref="EntityId"/> is the shard entity id.</summary>
public interface IGrainMessage
{
    string EntityId { get; }
}
