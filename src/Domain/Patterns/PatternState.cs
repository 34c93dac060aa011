using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Patterns;

/// <summary>
/// Incremental evaluation of a rule set against one session (SPEC §6): each event costs one pass over
/// the distinct filters and O(1) amortized per rule it touches, however long the session is.
/// </summary>
internal sealed class PatternState
{
    private const byte Matched = 1;
    private const byte Touched = 2;

    /// <summary>Matched, with a negative time window that had not passed at the last status update.</summary>
    private const byte Pending = 4;

    private readonly RuleState?[] _states;

    // Per rule: Matched, and Touched while its state changed since the last refresh. One array, as
    // every array is one more cache miss when many users' sessions interleave.
    private readonly byte[] _flags;
    private readonly int[] _touched;
    private int _touchedCount;

    public PatternState(PatternRuleSet rules)
    {
        Rules = rules;
        _states = new RuleState?[rules.Count];
        _flags = new byte[rules.Count];
        _touched = new int[rules.Count];
    }

    public PatternRuleSet Rules { get; }

    /// <summary>Changes whenever the set of matched rules or their statuses does, so rows can cache their JSON.</summary>
    public int MatchVersion { get; private set; }

    /// <summary>Bit i set when rule i matches; meaningful for the first 64 rules only.</summary>
    public ulong MatchMask { get; private set; }

    /// <summary>Bit i set when rule i matches and was pending at the last <see cref="UpdateStatus"/>; first 64 rules only.</summary>
    public ulong PendingMask { get; private set; }

    /// <summary>Rules (bit i, first 64) that the last <see cref="UpdateStatus"/> moved from pending to confirmed.</summary>
    public ulong JustConfirmed { get; private set; }

    public bool IsMatched(int rule) => (_flags[rule] & Matched) != 0;

    /// <summary>Pending as of the last <see cref="UpdateStatus"/> (what the session row shows).</summary>
    public bool IsPending(int rule) => (_flags[rule] & (Matched | Pending)) == (Matched | Pending);

    /// <summary>
    /// Whether a matched rule is still pending at <paramref name="now"/>: it has a negative time window
    /// and the window after its last positive has not passed, so a negative event may still break it.
    /// </summary>
    public bool IsPendingAt(int rule, DateTimeOffset now) =>
        IsMatched(rule) && DeadlineTicks(rule) is { } due && now.UtcTicks < due;

    /// <summary>When a matched windowed rule's negative window ends (ticks, UTC), or null.</summary>
    public long? DeadlineTicks(int rule)
    {
        if (Rules.Rules[rule].NegativeTimeWindow is not { } window || _states[rule] is not { PositiveCount: > 0 } state)
        {
            return null;
        }
        // Saturates: an event dated near the end of time must not wrap the deadline into the past.
        return state.LastSeenTicks > DateTimeOffset.MaxValue.UtcTicks - window.Ticks
            ? DateTimeOffset.MaxValue.UtcTicks
            : state.LastSeenTicks + window.Ticks;
    }

    /// <summary>
    /// Brings the pending/confirmed statuses up to <paramref name="now"/>; returns whether any changed.
    /// Costs one look per rule with a negative time window.
    /// </summary>
    public bool UpdateStatus(DateTimeOffset now)
    {
        var changed = false;
        JustConfirmed = 0;
        foreach (var i in Rules.NegativeWindowed)
        {
            var pending = IsPendingAt(i, now);
            if (pending == ((_flags[i] & Pending) != 0))
            {
                continue;
            }
            _flags[i] ^= Pending;
            if (i < 64)
            {
                PendingMask ^= 1UL << i;
                if (!pending && IsMatched(i))
                {
                    JustConfirmed |= 1UL << i;
                }
            }
            changed = true;
        }
        if (changed)
        {
            MatchVersion++;
        }
        return changed;
    }

    /// <summary>The earliest end of a pending rule's window (ticks), or null when none is pending.</summary>
    public long? NextConfirmationTicks()
    {
        long? next = null;
        foreach (var i in Rules.NegativeWindowed)
        {
            if (IsPending(i) && DeadlineTicks(i) is { } due && (next is null || due < next))
            {
                next = due;
            }
        }
        return next;
    }

    /// <summary>The rule's state, or null while no event has passed either of its filters.</summary>
    public RuleState? StateOf(int rule) => _states[rule];

    /// <summary>Feeds one event (with its sequence number assigned) to every rule it concerns.</summary>
    public void Apply(EnrichedEvent e)
    {
        var filters = Rules.Filters;
        var hits = FilterTable.FitsOnStack(filters.Count) ? stackalloc bool[filters.Count] : new bool[filters.Count];
        filters.Evaluate(e, hits);

        var ticks = e.Timestamp.UtcTicks;
        var positive = Rules.PositiveFilter;
        var negative = Rules.NegativeFilter;
        for (var i = 0; i < _states.Length; i++)
        {
            var p = positive[i] >= 0 && hits[positive[i]];
            var n = negative[i] >= 0 && hits[negative[i]];
            if (!p && !n)
            {
                continue;
            }
            var rule = Rules.Rules[i];
            var state = _states[i];
            if (state is null)
            {
                state = _states[i] = new RuleState();
            }
            if ((_flags[i] & Touched) == 0)
            {
                _flags[i] |= Touched;
                _touched[_touchedCount++] = i;
            }
            // Positive first: an event passing both filters sits at the window's start, inside it, either way round.
            if (p)
            {
                state.OnPositive(rule, e.EnrichedEventId, ticks, e.SequenceNumber);
            }
            if (n)
            {
                state.OnNegative(rule, ticks);
            }
        }
    }

    /// <summary>
    /// Re-evaluates which rules match, given the session's current aggregates: the rules the events since
    /// the last refresh touched, and the rules with a session filter (the aggregates change with every event).
    /// </summary>
    public void Refresh(TimeSpan duration, int events, int pageViews)
    {
        var changed = false;
        foreach (var i in Rules.SessionFiltered)
        {
            changed |= Evaluate(i, duration, events, pageViews);
        }
        for (var t = 0; t < _touchedCount; t++)
        {
            changed |= Evaluate(_touched[t], duration, events, pageViews);
            _flags[_touched[t]] &= unchecked((byte)~Touched);
        }
        _touchedCount = 0;
        if (changed)
        {
            MatchVersion++;
        }
    }

    /// <summary>
    /// Evaluates every rule; for a restored state, whose matches were not stored. Matched windowed
    /// rules start pending (no clock here): the next <see cref="UpdateStatus"/> confirms those whose
    /// window has passed, so a row is never confirmed too early.
    /// </summary>
    public void RefreshAll(TimeSpan duration, int events, int pageViews)
    {
        for (var i = 0; i < _flags.Length; i++)
        {
            _flags[i] &= unchecked((byte)~Touched);
            Evaluate(i, duration, events, pageViews);
        }
        foreach (var i in Rules.NegativeWindowed)
        {
            if (IsMatched(i) && DeadlineTicks(i) is not null && (_flags[i] & Pending) == 0)
            {
                _flags[i] |= Pending;
                if (i < 64)
                {
                    PendingMask |= 1UL << i;
                }
            }
        }
        _touchedCount = 0;
        MatchVersion++;
    }

    private bool Evaluate(int i, TimeSpan duration, int events, int pageViews)
    {
        var rule = Rules.Rules[i];
        var state = _states[i];
        var match = (rule.SessionFilter?.Holds(duration, events, pageViews) ?? true)
            && (rule.Filter is null || (state is not null && state.PositiveHolds(rule)))
            && (state is null || !state.NegativeBlocks(rule));
        if (match == ((_flags[i] & Matched) != 0))
        {
            return false;
        }
        _flags[i] ^= Matched;
        if (i < 64)
        {
            MatchMask ^= 1UL << i;
        }
        if (!match && (_flags[i] & Pending) != 0)
        {
            // An unmatched rule has no status; a later match gets its status from the next update.
            _flags[i] &= unchecked((byte)~Pending);
            if (i < 64)
            {
                PendingMask &= ~(1UL << i);
            }
        }
        return true;
    }

    /// <summary>
    /// This session's state under another rule set: a rule whose definition is unchanged keeps its state
    /// (counts, evidence, windows); a changed or new rule starts empty; a removed rule is dropped.
    /// Call <see cref="RefreshAll"/> on the result.
    /// </summary>
    public PatternState WithRules(PatternRuleSet rules)
    {
        var next = new PatternState(rules);
        var from = rules.StateSourcesIn(Rules);
        for (var i = 0; i < from.Length; i++)
        {
            if (from[i] >= 0)
            {
                next._states[i] = _states[from[i]];
            }
        }
        return next;
    }

    public List<RuleStateSnapshot> ToSnapshot()
    {
        var list = new List<RuleStateSnapshot>();
        for (var i = 0; i < _states.Length; i++)
        {
            if (_states[i] is { } s)
            {
                list.Add(s.ToSnapshot(Rules.Rules[i].Code, Rules.Fingerprints[i]));
            }
        }
        return list;
    }

    /// <summary>
    /// Restores rule states by code. A state whose rule is gone or was redefined is dropped: that rule
    /// restarts from the session's next event, which beats evaluating stale state against a new definition.
    /// </summary>
    public static PatternState FromSnapshot(PatternRuleSet rules, IReadOnlyList<RuleStateSnapshot>? snapshots)
    {
        var state = new PatternState(rules);
        foreach (var s in snapshots ?? [])
        {
            var i = rules.IndexOf(s.Code);
            if (i >= 0 && rules.Fingerprints[i] == s.Fingerprint)
            {
                state._states[i] = RuleState.FromSnapshot(rules.Rules[i], s);
            }
        }
        return state;
    }
}
