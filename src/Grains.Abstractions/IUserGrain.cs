using Orleans.Concurrency;

namespace SessionInsights.Grains.Abstractions;

/// <summary>
/// One grain per project and PostHog <c>distinct_id</c> (key: project id, extension: distinct id): the
/// single writer of that user's event stream, and the source of the chatbot context.
/// </summary>
public interface IUserGrain : IGrainWithIntegerCompoundKey
{
    /// <summary>
    /// Events of this user that are already durable in the raw log, in log order. One-way: a lost
    /// delivery is repaired from the log (the pending sweeper), so the sender never waits or retries.
    /// </summary>
    [OneWay]
    Task Deliver(EventBatch batch);

    /// <summary>The SPEC §7 context, rendered once by the grain as the UTF-8 JSON the API returns.</summary>
    /// <remarks>
    /// Not interleaved with deliveries: a read larger than memory awaits storage, and events applied
    /// meanwhile would reach the session it renders but not the events it lists (a read showed
    /// <c>last_session.event_count</c> 204 beside 128 recent events). Reads from memory do not await.
    /// </remarks>
    Task<ContextReply> GetContext(ContextQuery query);

    /// <summary>
    /// Erases this user everywhere (storage and memory, the session grains' views included) and
    /// records who asked. Events stored after the erase began are a new person's.
    /// </summary>
    Task<ErasureReply> Erase(string requestedBy);

    /// <summary>
    /// Subscribes (or renews) a live stream observer for a few seconds (the gateway renews it every
    /// second or two); a new subscriber gets the backlog it may have missed (docs/stream.md).
    /// </summary>
    Task<StreamSubscription> Subscribe(IUserStreamObserver observer, StreamResume resume);

    /// <summary>Ends a live stream subscription before it expires.</summary>
    [OneWay]
    Task Unsubscribe(IUserStreamObserver observer);

    /// <summary>Replays the user's raw events still PENDING in the log (lost deliveries, retried failures).</summary>
    [OneWay]
    Task RecoverPending();
}
