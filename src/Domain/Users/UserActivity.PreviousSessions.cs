using SessionInsights.Domain.Context;
using SessionInsights.Domain.Sessions;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Domain.Users;

public sealed partial class UserActivity
{
    /// <summary>
    /// Whether memory alone knows the user's <paramref name="count"/> sessions before the latest one.
    /// </summary>
    /// <remarks>
    /// With nothing forgotten memory holds every session. Otherwise a forgotten session ranked below
    /// every kept closed session and the latest one by last activity when it was dropped (and those
    /// only grow), so it started no later than the smallest such last activity: memory's n-th session
    /// is certain when it started after that. For sessions one after another this serves up to
    /// <see cref="ClosedSessionsKept"/> − 1 = 3 from memory; overlapping sessions go to storage sooner.
    /// </remarks>
    public bool CanServePreviousSessionsFromMemory(int count)
    {
        if (count <= 0 || _forgotten.Count == 0)
        {
            return true;
        }
        if (_latest is null)
        {
            return false;
        }
        var bound = _latest.Aggregate.LastActivityAt;
        var previous = new List<TrackedSession>(_sessions.Count);
        foreach (var session in _sessions.Values)
        {
            if (session == _latest)
            {
                continue;
            }
            previous.Add(session);
            if (!session.Aggregate.IsActive && session.Aggregate.LastActivityAt < bound)
            {
                bound = session.Aggregate.LastActivityAt;
            }
        }
        if (previous.Count < count)
        {
            return false;
        }
        previous.Sort((a, b) => b.Aggregate.StartedAt.CompareTo(a.Aggregate.StartedAt));
        return previous[count - 1].Aggregate.StartedAt > bound;
    }

    /// <summary>The sessions before the latest one, newest first, from memory alone (see <see cref="CanServePreviousSessionsFromMemory"/>).</summary>
    /// <param name="now">The read's time, to judge pending patterns as the latest session's are; null: their status as last updated.</param>
    public IReadOnlyList<SessionRecord> PreviousSessions(int count, DateTimeOffset? now) =>
        SessionHistory.Pick(_latest?.SessionId, count, MemoryRows(now));

    /// <summary>
    /// The sessions before the latest one, newest first: the stored rows (the user's latest by start,
    /// at least <paramref name="count"/> + 1 of them, as the latest may be among them), overlaid by rows
    /// not yet committed (a session closed and dropped from memory since the last commit) and by memory.
    /// </summary>
    public IReadOnlyList<SessionRecord> PreviousSessions(int count, DateTimeOffset? now, IReadOnlyList<SessionRecord> stored, IEnumerable<SessionRecord> uncommitted) =>
        SessionHistory.Pick(_latest?.SessionId, count, stored, uncommitted, MemoryRows(now));

    private IEnumerable<SessionRecord> MemoryRows(DateTimeOffset? now)
    {
        foreach (var session in _sessions.Values)
        {
            if (session != _latest)
            {
                var row = session.ToRecord();
                yield return now is { } at ? row with { PatternsJson = PatternJson.ToRowJson(session.Patterns, at) } : row;
            }
        }
    }
}
