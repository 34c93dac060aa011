using Orleans.Concurrency;

namespace SessionInsights.Grains.Abstractions;

/// <summary>
/// One grain per project and PostHog <c>$session_id</c> (key: project id, extension: session id): the
/// session-scoped view <c>GET /session/{id}</c> serves. The owning user grain keeps it current.
/// </summary>
public interface ISessionGrain : IGrainWithIntegerCompoundKey
{
    /// <summary>The session's new row and the events it just gained. One-way: a lost update is repaired from storage.</summary>
    [OneWay]
    Task Apply(SessionUpdate update);

    [AlwaysInterleave]
    Task<SessionReply> Get(int eventsLimit);

    /// <summary>Drops the view (its user was erased) and deactivates; storage no longer has it either.</summary>
    Task Forget();
}
