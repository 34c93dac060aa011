using System.Collections.Concurrent;

namespace SessionInsights.Domain.Patterns;

/// <summary>An ordered, validated set of pattern rules (SPEC §6).</summary>
public sealed partial class PatternRuleSet
{
    private PatternRuleSet(List<PatternRule> rules)
    {
        Rules = rules;
        var filterIds = new Dictionary<EventFilter, int>();
        var filters = new List<EventFilter>();
        PositiveFilter = new int[rules.Count];
        NegativeFilter = new int[rules.Count];
        Fingerprints = new ulong[rules.Count];
        var sessionFiltered = new List<int>();
        var negativeWindowed = new List<int>();
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].NegativeTimeWindow is not null)
            {
                negativeWindowed.Add(i);
            }
            if (rules[i].SessionFilter is not null)
            {
                sessionFiltered.Add(i);
            }
            PositiveFilter[i] = FilterId(rules[i].Filter);
            NegativeFilter[i] = FilterId(rules[i].NegativeFilter);
            Fingerprints[i] = RuleFingerprint.Of(rules[i]);
        }
        Filters = new FilterTable(filters);
        SessionFiltered = [.. sessionFiltered];
        NegativeWindowed = [.. negativeWindowed];

        int FilterId(EventFilter? f)
        {
            if (f is null)
            {
                return -1;
            }
            if (!filterIds.TryGetValue(f, out var id))
            {
                id = filters.Count;
                filters.Add(f);
                filterIds.Add(f, id);
            }
            return id;
        }
    }

    /// <summary>The default rule pack (<see cref="RulePacks.Default"/>, the shop rules), parsed once per process.</summary>
    public static PatternRuleSet Default => RulePacks.Load(RulePacks.Default);

    public IReadOnlyList<PatternRule> Rules { get; }

    public int Count => Rules.Count;

    internal FilterTable Filters { get; }

    /// <summary>Per rule, the index of its positive filter in <see cref="Filters"/>, or -1.</summary>
    internal int[] PositiveFilter { get; }

    /// <summary>Per rule, the index of its negative filter in <see cref="Filters"/>, or -1.</summary>
    internal int[] NegativeFilter { get; }

    /// <summary>Rules with a session filter: the only ones an event can (un)match without passing their filters.</summary>
    internal int[] SessionFiltered { get; }

    /// <summary>Rules with a negative time window: the only ones that can be pending.</summary>
    internal int[] NegativeWindowed { get; }

    /// <summary>Per rule, a stable hash of what its state depends on, to drop state a rule change made stale.</summary>
    internal ulong[] Fingerprints { get; }

    /// <summary>
    /// Row JSON per set of matched rules (as a bit mask), shared by all sessions: a session's matches
    /// flip back and forth between a few sets, and building the text each time would dominate the
    /// per-event allocation. Bounded, since the number of possible sets is not.
    /// </summary>
    internal ConcurrentDictionary<(ulong Matched, ulong Pending), string> RowJsonByMatches { get; } = new();

    internal const int RowJsonCacheLimit = 4096;

    /// <summary>Loads rules from the JSON format of the default rule file; throws with the rule and field named.</summary>
    public static PatternRuleSet FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new PatternRuleSet(PatternRuleParser.Parse(json)) { Definitions = DefinitionsOf(json) };
    }

    /// <summary>The rule index of <paramref name="code"/>, or -1.</summary>
    public int IndexOf(string code)
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            if (string.Equals(Rules[i].Code, code, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
