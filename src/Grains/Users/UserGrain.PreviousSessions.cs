using SessionInsights.Domain.Storage;

namespace SessionInsights.Grains.Users;

public sealed partial class UserGrain
{
    /// <summary>
    /// The <paramref name="count"/> sessions before the latest: from memory when it holds them (the
    /// common case, done before this returns), else the stored rows (one read, count + 1 rows: the
    /// latest may be among the newest by start) overlaid by the rows not yet committed (a session
    /// closed and dropped from memory since the last commit) and by memory.
    /// </summary>
    private async Task<IReadOnlyList<SessionRecord>> PreviousSessionsAsync(int count)
    {
        if (_activity.CanServePreviousSessionsFromMemory(count))
        {
            return _activity.PreviousSessions(count, Now);
        }
        // Taken before the read: a commit may land while storage is read (the flush timer interleaves).
        List<SessionRecord> uncommitted = [.. _inFlight?.Sessions ?? [], .. _buffer.UncommittedSessions];
        var stored = await services.Store.LoadUserSessionsAsync(ProjectId, UserId, count + 1);
        return _activity.PreviousSessions(count, Now, stored, uncommitted);
    }
}
