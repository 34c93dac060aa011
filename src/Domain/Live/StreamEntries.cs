using SessionInsights.Domain.Users;

namespace SessionInsights.Domain.Live;

/// <summary>The stream entries of one applied event: the event, then each pattern it made match, in rule order.</summary>
public static class StreamEntries
{
    public static void AddApplied(long seq, AppliedEvent applied, DateTimeOffset now, List<StreamEntry> into)
    {
        var e = applied.Event;
        into.Add(StreamEntry.ForEvent(seq, e));
        if (applied.Tracked is not { NewlyMatched: not 0 } session)
        {
            return;
        }
        var state = session.Patterns;
        var rules = state.Rules.Rules;
        for (var i = 0; i < rules.Count && i < 64; i++)
        {
            if ((session.NewlyMatched & (1UL << i)) != 0)
            {
                DateTimeOffset? due = state.DeadlineTicks(i) is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
                into.Add(StreamEntry.Fired(seq, e, rules[i], state.IsPending(i), due, now));
            }
        }
    }
}
