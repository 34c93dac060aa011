namespace SessionInsights.Grains.Abstractions.Messages;

/// <summary>Tells a user grain to replay raw events still PENDING in the log (lost deliveries).</summary>
public sealed record RecoverPending(string EntityId) : IGrainMessage;
