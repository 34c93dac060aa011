namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// Per project and rule, firings counted per minute over the last day: the Rules page's "fired in the
/// last hour / day". Counters rather than the firings themselves, so a rule that fires a million times
/// costs the same 1,440 slots as one that fires once, and the day's figure does not depend on how many
/// firings the ring of <see cref="PatternFirings"/> keeps. Accurate to the minute; not thread-safe
/// (the hub grain is its only user).
/// </summary>
public sealed class RuleFiringCounts
{
    public const int Minutes = 24 * 60;
    private const int HourMinutes = 60;
    private readonly Dictionary<(long ProjectId, string Rule), Slots> _rules = [];

    /// <summary>Counts a firing in its minute; one older than a day is ignored, one from a clock ahead of <paramref name="now"/> counts as now.</summary>
    public void Add(PatternFiring firing, DateTimeOffset now)
    {
        var current = MinuteOf(now);
        var minute = Math.Min(MinuteOf(firing.At), current);
        if (minute <= current - Minutes)
        {
            return;
        }
        var key = (firing.ProjectId, firing.Rule);
        if (!_rules.TryGetValue(key, out var slots))
        {
            _rules[key] = slots = new Slots();
        }
        slots.Add(minute);
    }

    /// <summary>The project's rules that fired in the last day, by code.</summary>
    public IReadOnlyList<RuleFiringCount> For(long projectId, DateTimeOffset now)
    {
        var current = MinuteOf(now);
        return [.. _rules
            .Where(r => r.Key.ProjectId == projectId)
            .Select(r => new RuleFiringCount(r.Key.Rule, r.Value.Sum(current, HourMinutes), r.Value.Sum(current, Minutes)))
            .Where(c => c.LastDay > 0)
            .OrderBy(c => c.Rule, StringComparer.Ordinal)];
    }

    /// <summary>Forgets rules that have not fired for a day (deleted rules, finished projects).</summary>
    public void Prune(DateTimeOffset now)
    {
        var current = MinuteOf(now);
        foreach (var key in _rules.Where(r => r.Value.Latest <= current - Minutes).Select(r => r.Key).ToList())
        {
            _rules.Remove(key);
        }
    }

    private static int MinuteOf(DateTimeOffset at) => (int)(at.ToUnixTimeSeconds() / 60);

    /// <summary>A ring of per-minute counts; each slot remembers which minute it counts, so stale slots read as zero.</summary>
    private sealed class Slots
    {
        private readonly int[] _counts = new int[Minutes];
        private readonly int[] _minutes = new int[Minutes];

        public int Latest { get; private set; }

        public void Add(int minute)
        {
            var i = minute % Minutes;
            if (_minutes[i] != minute)
            {
                _minutes[i] = minute;
                _counts[i] = 0;
            }
            _counts[i]++;
            Latest = Math.Max(Latest, minute);
        }

        /// <summary>Firings in the <paramref name="span"/> minutes up to and including <paramref name="current"/>.</summary>
        public int Sum(int current, int span)
        {
            var total = 0;
            for (var i = 0; i < Minutes; i++)
            {
                if (_minutes[i] > current - span && _minutes[i] <= current)
                {
                    total += _counts[i];
                }
            }
            return total;
        }
    }
}
