using SessionInsights.Domain.Storage;

namespace SessionInsights.Grains.Persistence;

/// <summary>
/// A user grain's persistent state as Orleans sees it: the snapshot, and for a write, the rows that
/// must commit with it. The storage provider writes both in one transaction (see
/// <see cref="UserStateStorage"/>), so "snapshot + PENDING raw events" is always the whole truth.
/// </summary>
public sealed class UserState
{
    /// <summary>The serialized <c>UserGrainState</c>; null for a user storage has never seen.</summary>
    public byte[]? Snapshot { get; set; }

    /// <summary>What the next write commits with the snapshot: enriched rows, session rows, raw statuses.</summary>
    public UserCommit? Commit { get; set; }

    /// <summary>
    /// Read with the snapshot, in the same round trip, for the activation to take and clear: the
    /// user's PENDING raw events and latest stored events (<see cref="IGrainStateStore.LoadUserActivationAsync"/>).
    /// </summary>
    public UserActivation? Activation { get; set; }
}
