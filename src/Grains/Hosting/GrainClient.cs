using Akka.Actor;
using SessionInsights.Grains.Abstractions.Events;
using SessionInsights.Grains.Abstractions.Messages;

namespace SessionInsights.Grains.Hosting;

/// <summary>How the gateway talks to grains: through this node's shard region or proxy.</summary>
public sealed class GrainClient(GrainSettings settings)
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

    public async Task<byte[]> GetContextAsync(string userId, int limit, double? lookbackHours, CancellationToken ct)
    {
        var reply = await _users.Ask<UserContextReply>(new GetUserContext(userId, limit, lookbackHours), settings.AskTimeout, ct).ConfigureAwait(false);
        return reply.Json;
    }

    public Task<SessionReply> GetSessionAsync(string sessionId, int limit, CancellationToken ct) =>
        _sessions.Ask<SessionReply>(new GetSession(sessionId, limit), settings.AskTimeout, ct);
}
