using SessionInsights.Domain.Events;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// Called by a user grain just before it applies an event; what it throws counts as the event's
/// processing failure (classified and retried as the domain's own would be). The product registers
/// <see cref="NoEventProcessingHook"/>; tests register one that fails chosen events (a fault
/// injected through DI, not a switch in the configuration).
/// </summary>
public interface IEventProcessingHook
{
    void BeforeApply(long projectId, StoredEvent stored);
}

public sealed class NoEventProcessingHook : IEventProcessingHook
{
    public void BeforeApply(long projectId, StoredEvent stored)
    {
    }
}
