using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Users;

/// <summary>
/// The order a grain replays PENDING raw events in. Events committed since the last snapshot have
/// enriched rows already (with a session and a number in it); applying them again must give the
/// same numbers, or memory and storage disagree (the insert keeps the stored row). Numbers follow
/// apply order within a session, so those events go first, each session's in its stored order;
/// events without a stored row follow in log order, as a replay always took them.
/// </summary>
/// <remarks>
/// The stored events keep the log order of their slots: each session's events are permuted among
/// the slots that session's events hold, so events of different sessions (and session-less ones)
/// interleave as in the log. What this cannot reproduce: a stored event without a
/// <c>$session_id</c> whose session was derived (the user's active session at apply time) is placed
/// by log order, and derivation may pick another session if delivery order differed from log
/// order; so may the idle close, which depends on the clock at replay.
/// </remarks>
public static class ReplayOrder
{
    /// <summary>
    /// The latest stored events an activation starts its recent ring from, without those the replay
    /// applies again (committed since the last snapshot): the replay adds them back, once.
    /// </summary>
    public static IReadOnlyList<EnrichedEvent> RecentExceptReplayed(IReadOnlyList<EnrichedEvent> recent, IReadOnlyList<StoredEvent> pending)
    {
        HashSet<Guid>? replayed = null;
        foreach (var e in pending)
        {
            if (e.Committed is not null)
            {
                (replayed ??= []).Add(e.Event.Uuid);
            }
        }
        return replayed is null ? recent : [.. recent.Where(e => !replayed.Contains(e.RawEventId))];
    }

    public static IReadOnlyList<StoredEvent> Arrange(IReadOnlyList<StoredEvent> pending)
    {
        var committed = new List<StoredEvent>();
        var fresh = new List<StoredEvent>();
        foreach (var e in pending)
        {
            (e.Committed is null ? fresh : committed).Add(e);
        }
        if (committed.Count == 0)
        {
            return pending;
        }

        // Slots (positions in log order) of each session's stored events, and those events by number.
        var slots = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < committed.Count; i++)
        {
            if (committed[i].Committed!.Value.SessionId is { } session)
            {
                if (!slots.TryGetValue(session, out var list))
                {
                    slots[session] = list = [];
                }
                list.Add(i);
            }
        }
        var arranged = new StoredEvent[committed.Count];
        for (var i = 0; i < committed.Count; i++)
        {
            if (committed[i].Committed!.Value.SessionId is null)
            {
                arranged[i] = committed[i];
            }
        }
        foreach (var list in slots.Values)
        {
            // Stable: equal numbers (0, events of a session already dropped from memory) keep log order.
            var ordered = list.Select(i => committed[i]).OrderBy(e => e.Committed!.Value.SequenceNumber).ToList();
            for (var k = 0; k < list.Count; k++)
            {
                arranged[list[k]] = ordered[k];
            }
        }
        return [.. arranged, .. fresh];
    }
}
