namespace SessionInsights.Grains.Abstractions;

/// <summary>
/// The one way to address a user or session grain: a distinct id or session id means something only
/// within its project, so the project is part of every key.
/// </summary>
public static class GrainKeys
{
    public static IUserGrain GetUser(this IGrainFactory grains, long projectId, string distinctId) =>
        grains.GetGrain<IUserGrain>(projectId, distinctId, null);

    public static ISessionGrain GetSession(this IGrainFactory grains, long projectId, string sessionId) =>
        grains.GetGrain<ISessionGrain>(projectId, sessionId, null);

    /// <summary>The project and the distinct or session id of a user or session grain's key.</summary>
    public static (long ProjectId, string Id) Of(GrainId grainId)
    {
        var projectId = grainId.GetIntegerKey(out var id);
        return (projectId, id ?? "");
    }
}
