namespace SessionInsights.Grains.Abstractions.Messages;

/// <summary>A reply sent back from a grain; marker so the cluster serializes it with the grain serializer.</summary>
public interface IGrainReply;
