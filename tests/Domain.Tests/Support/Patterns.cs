using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Sessions;

namespace SessionInsights.Domain.Tests.Support;

internal static class PatternRun
{
    /// <summary>Applies the events in the order given to a fresh session.</summary>
    public static TrackedSession Session(PatternRuleSet rules, IEnumerable<EnrichedEvent> events)
    {
        var session = new TrackedSession("s1", "u1", rules);
        foreach (var e in events)
        {
            session.Apply(e, e.Timestamp);
        }
        return session;
    }

    public static List<string> Matches(TrackedSession session)
    {
        var codes = new List<string>();
        for (var i = 0; i < session.Patterns.Rules.Count; i++)
        {
            if (session.Patterns.IsMatched(i))
            {
                codes.Add(session.Patterns.Rules.Rules[i].Code);
            }
        }
        return codes;
    }

    public static List<string> Matches(PatternRuleSet rules, params EnrichedEvent[] events) => Matches(Session(rules, events));

    public static bool Matches(string ruleBody, params EnrichedEvent[] events) => Matches(Rules.One(ruleBody), events).Count == 1;

    /// <summary>SPEC §6 read literally, over the whole event list: the reference the incremental engine must agree with.</summary>
    public static List<string> BruteForce(PatternRuleSet rules, IReadOnlyList<EnrichedEvent> events)
    {
        var start = events.Min(e => e.Timestamp);
        var end = events.Max(e => e.Timestamp);
        var pageViews = events.Count(e => e.EventName == "$pageview");
        var codes = new List<string>();
        foreach (var rule in rules.Rules)
        {
            var ok = rule.SessionFilter?.Holds(end - start, events.Count, pageViews) ?? true;
            if (ok && rule.Filter is not null)
            {
                var positives = events.Where(rule.Filter.Matches).Select(e => e.Timestamp).Order().ToList();
                ok = positives.Count >= rule.MinCount;
                if (ok && rule.TimeWindow is { } w)
                {
                    ok = Enumerable.Range(0, positives.Count - rule.MinCount + 1)
                        .Any(i => positives[i + rule.MinCount - 1] - positives[i] <= w);
                }
                if (ok && rule.NegativeFilter is not null)
                {
                    var negatives = events.Where(rule.NegativeFilter.Matches).Select(e => e.Timestamp).ToList();
                    ok = rule.NegativeTimeWindow is { } nw
                        ? !negatives.Any(t => t >= positives[^1] && t <= positives[^1] + nw)
                        : negatives.Count == 0;
                }
            }
            if (ok)
            {
                codes.Add(rule.Code);
            }
        }
        return codes;
    }
}
