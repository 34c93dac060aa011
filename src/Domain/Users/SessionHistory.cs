using SessionInsights.Domain.Storage;

namespace SessionInsights.Domain.Users;

/// <summary>
/// The context's <c>previous_sessions</c>: the user's sessions before the latest one, newest start
/// first (ties by id, as storage orders them), the latest left out. Rows can come from storage, from
/// rows not yet committed and from memory; the fresher source wins for a session.
/// </summary>
public static class SessionHistory
{
    /// <summary>How many previous sessions a context read lists unless asked otherwise.</summary>
    public const int Default = 3;

    /// <summary>The most a read may ask for: one indexed storage read of at most <c>Max + 1</c> rows.</summary>
    public const int Max = 10;

    /// <summary>Newest start first; on a tie the greater id (ordinal) first.</summary>
    public static int NewestFirst(SessionRecord a, SessionRecord b)
    {
        var byStart = b.StartedAt.CompareTo(a.StartedAt);
        return byStart != 0 ? byStart : string.CompareOrdinal(b.SessionId, a.SessionId);
    }

    /// <summary>The first <paramref name="count"/> sessions other than <paramref name="latestId"/>, newest first.</summary>
    /// <param name="layers">
    /// Rows from the stalest source to the freshest (storage, rows not yet committed, memory): a later
    /// row of a session replaces an earlier one, so a stored row never hides what memory knows.
    /// </param>
    public static IReadOnlyList<SessionRecord> Pick(string? latestId, int count, params IEnumerable<SessionRecord>[] layers)
    {
        if (count <= 0)
        {
            return [];
        }
        var byId = new Dictionary<string, SessionRecord>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var row in layer)
            {
                if (!string.Equals(row.SessionId, latestId, StringComparison.Ordinal))
                {
                    byId[row.SessionId] = row;
                }
            }
        }
        var all = byId.Values.ToList();
        all.Sort(NewestFirst);
        return all.Count <= count ? all : all.GetRange(0, count);
    }
}
