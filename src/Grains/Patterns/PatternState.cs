using SessionInsights.Grains.Enrichment;

namespace SessionInsights.Grains.Patterns;

/// <summary>
/// Incremental evaluation of a rule set against one session (SPEC §6): each event costs one pass over
/// the distinct filters and O(1) amortized per rule it touches, however long the session is.
/// </summary>
internal sealed class PatternState
{
    private readonly RuleState?[] _states;
    private readonly bool[] _matched;

    public PatternState(PatternRuleSet rules)
    {
        Rules = rules;
        _states = new RuleState?[rules.Count];
        _matched = new bool[rules.Count];
    }

    public PatternRuleSet Rules { get; }

    /// <summary>Changes whenever the set of matched rules does, so rows can cache their JSON.</summary>
    public int MatchVersion { get; private set; }

    /// <summary>Bit i set when rule i matches; meaningful for the first 64 rules only.</summary>
    public ulong MatchMask { get; private set; }

    public bool IsMatched(int rule) => _matched[rule];

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
            var state = _states[i] ??= new RuleState();
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

    /// <summary>Re-evaluates which rules match, given the session's current aggregates.</summary>
    public void Refresh(TimeSpan duration, int events, int pageViews)
    {
        var changed = false;
        for (var i = 0; i < _matched.Length; i++)
        {
            var rule = Rules.Rules[i];
            var state = _states[i];
            var match = (rule.SessionFilter?.Holds(duration, events, pageViews) ?? true)
                && (rule.Filter is null || (state is not null && state.PositiveHolds(rule)))
                && (state is null || !state.NegativeBlocks(rule));
            if (match != _matched[i])
            {
                _matched[i] = match;
                changed = true;
                if (i < 64)
                {
                    MatchMask ^= 1UL << i;
                }
            }
        }
        if (changed)
        {
            MatchVersion++;
        }
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
