using Akka.Actor;
using SessionInsights.Grains.Abstractions.Events;
using SessionInsights.Grains.Abstractions.Messages;
using SessionInsights.Grains.Reads;

namespace SessionInsights.Grains.Hosting;

/// <summary>How the gateway talks to grains: through this node's shard region or proxy.</summary>
public sealed class GrainClient(GrainSettings settings, StorageContextReader storageReader)
{
    private IActorRef _users = ActorRefs.Nobody;
    private IActorRef _sessions = ActorRefs.Nobody;

    public bool IsReady => !_users.IsNobody();

    internal void Attach(IActorRef users, IActorRef sessions)
    {
        _users = users;
        _sessions = sessions;
    }

    /// <summary>Hands durable events to their user grain; fire-and-forget (a lost delivery is recovered from the log).</summary>
    public void Deliver(string userId, IReadOnlyList<StoredEvent> events) => _users.Tell(new DeliverEvents(userId, events));

    public void RecoverPending(string userId) => _users.Tell(new RecoverPending(userId));

    /// <summary>The user's context from the live grain or, when it does not answer in time, from storage.</summary>
    public async Task<ContextRead> GetContextAsync(string userId, int limit, double? lookbackHours, CancellationToken ct)
    {
        try
        {
            var reply = await _users.Ask<UserContextReply>(new GetUserContext(userId, limit, lookbackHours), settings.ContextFallbackAfter, ct).ConfigureAwait(false);
            return new ContextRead(reply.Json, FromGrain: true);
        }
        catch (Exception ex) when (ex is AskTimeoutException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            TimeSpan? lookback = lookbackHours is { } h ? TimeSpan.FromHours(h) : null;
            var json = await storageReader.ReadAsync(userId, limit, lookback, ct).ConfigureAwait(false);
            return new ContextRead(json, FromGrain: false);
        }
    }

    public Task<SessionReply> GetSessionAsync(string sessionId, int limit, CancellationToken ct) =>
        _sessions.Ask<SessionReply>(new GetSession(sessionId, limit), settings.AskTimeout, ct);
}
