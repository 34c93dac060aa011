namespace SessionInsights.Domain.Sessions;

/// <summary>
/// Whether a session view that keeps the latest <c>kept</c> events holds what storage would give it,
/// judged by the events' sequence numbers alone.
/// </summary>
public static class SessionViewNumbers
{
    /// <summary>
    /// A session of up to <paramref name="kept"/> events must show each of its numbers 1..n once.
    /// A longer one keeps its latest events by time, which are not the latest by number when times
    /// and arrival order differ (two devices, two SDK queues): then all that can be checked is that
    /// the view is full, no number repeats and none lies beyond the session's count. (Checking the
    /// latest numbers there made every such session reload 200 events from storage five times.)
    /// </summary>
    /// <param name="held">The numbers of the events the view holds (reordered in place for a long session).</param>
    public static bool HoldsLatest(Span<int> held, int eventCount, int kept)
    {
        var expected = Math.Min(eventCount, kept);
        if (held.Length < expected)
        {
            return false;
        }
        if (eventCount <= kept)
        {
            // Runs on every update of a session: a stack bitmap of 1..n, no sort.
            Span<bool> seen = stackalloc bool[eventCount];
            var found = 0;
            foreach (var seq in held)
            {
                if (seq >= 1 && seq <= eventCount && !seen[seq - 1])
                {
                    seen[seq - 1] = true;
                    found++;
                }
            }
            return found == eventCount;
        }
        held.Sort();
        var distinct = 0;
        for (var i = 0; i < held.Length; i++)
        {
            if (held[i] >= 1 && held[i] <= eventCount && (i == 0 || held[i] != held[i - 1]))
            {
                distinct++;
            }
        }
        return distinct >= expected;
    }
}
