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
    /// <param name="held">The numbers of the events the view holds (reordered in place).</param>
    public static bool HoldsLatest(Span<int> held, int eventCount, int kept)
    {
        var expected = Math.Min(eventCount, kept);
        if (held.Length < expected)
        {
            return false;
        }
        held.Sort();
        var lowest = eventCount <= kept ? eventCount - expected + 1 : 1;
        var distinct = 0;
        for (var i = 0; i < held.Length; i++)
        {
            if (held[i] >= lowest && held[i] <= eventCount && (i == 0 || held[i] != held[i - 1]))
            {
                distinct++;
            }
        }
        return distinct >= expected;
    }
}
