using Orleans.Concurrency;

namespace SessionInsights.Grains.Abstractions;

/// <summary>
/// A live stream connection (in a gateway) subscribed to one user grain: the grain pushes the items of
/// each batch it applies, at apply time. One-way: a push lost with a dead silo is found again in the
/// new activation's backlog when the gateway subscribes again.
/// </summary>
public interface IUserStreamObserver : IGrainObserver
{
    [OneWay]
    Task OnItems(StreamBatch batch);
}
