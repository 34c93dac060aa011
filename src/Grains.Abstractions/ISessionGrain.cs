using Orleans.Concurrency;

namespace SessionInsights.Grains.Abstractions;

/// <summary>
/// One grain per PostHog <c>$session_id</c>: the session-scoped view <c>GET /session/{id}</c> serves.
/// The owning user grain keeps it current.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>The session's new row and the events it just gained. One-way: a lost update is repaired from storage.</summary>
    [OneWay]
    Task Apply(SessionUpdate update);

    [AlwaysInterleave]
    Task<SessionReply> Get(int eventsLimit);
}
