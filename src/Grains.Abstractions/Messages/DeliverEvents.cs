using SessionInsights.Grains.Abstractions.Events;

namespace SessionInsights.Grains.Abstractions.Messages;

/// <summary>
/// Events of one user that are already durable in the raw log, in log order. Fire-and-forget: a lost
/// delivery is repaired from the log, so the sender never retries.
/// </summary>
public sealed record DeliverEvents(string EntityId, IReadOnlyList<StoredEvent> Events) : IGrainMessage;
