namespace SessionInsights.Domain.Patterns;

/// <summary>
/// What one session has shown one rule so far. Every update is O(1) amortized, or O(bound) for a late
/// event, where the bounds are <see cref="WindowCapacity"/> and <see cref="NegativeCapacity"/>.
/// </summary>
internal sealed class RuleState
{
    /// <summary>Latest negative timestamps kept for a windowed negative filter.</summary>
    public const int NegativeCapacity = 64;

    private SortedTickBuffer? _window;
    private SortedTickBuffer? _negatives;
    private Evidence _evidence;

    public int PositiveCount { get; private set; }
    public long FirstSeenTicks { get; private set; } = long.MaxValue;
    public long LastSeenTicks { get; private set; } = long.MinValue;
    /// <summary>The latest positive events; by reference, as it is a struct kept inline.</summary>
    public ref readonly Evidence Evidence => ref _evidence;

    /// <summary>Some window of the rule's length held min_count positives. Monotone: events are never removed.</summary>
    public bool WindowSatisfied { get; private set; }

    public int NegativeCount { get; private set; }

    /// <summary>
    /// The latest negative timestamp that no longer fit in the buffer. Negatives at or before it are
    /// forgotten, so a positive that arrives that late is judged on what was kept (see docs).
    /// </summary>
    public long? MaxDroppedNegativeTicks { get; private set; }

    /// <summary>Positive timestamps kept for a time window; min_count of them must fit.</summary>
    public static int WindowCapacity(PatternRule rule) => Math.Max(64, rule.MinCount);

    public void OnPositive(PatternRule rule, Guid id, long ticks, int seq)
    {
        PositiveCount++;
        _evidence.Add(id, ticks, seq);
        FirstSeenTicks = Math.Min(FirstSeenTicks, ticks);
        var previousLast = LastSeenTicks;
        LastSeenTicks = Math.Max(LastSeenTicks, ticks);

        if (rule.TimeWindow is { } window && !WindowSatisfied)
        {
            TrackWindow(rule, window.Ticks, ticks);
        }
        // The negative window starts at the last positive and can only move later: older negatives never count again.
        if (rule.NegativeTimeWindow is not null && LastSeenTicks > previousLast)
        {
            _negatives?.RemoveBelow(LastSeenTicks);
        }
    }

    public void OnNegative(PatternRule rule, long ticks)
    {
        NegativeCount++;
        if (rule.NegativeTimeWindow is null || (PositiveCount > 0 && ticks < LastSeenTicks))
        {
            return;
        }
        _negatives ??= new SortedTickBuffer(NegativeCapacity);
        _negatives.Insert(ticks, out var dropped);
        if (dropped is { } d)
        {
            MaxDroppedNegativeTicks = Math.Max(MaxDroppedNegativeTicks ?? d, d);
        }
    }

    public bool PositiveHolds(PatternRule rule) =>
        PositiveCount >= rule.MinCount && (rule.TimeWindow is null || WindowSatisfied);

    /// <summary>Whether the negative filter breaks the rule (SPEC §6).</summary>
    public bool NegativeBlocks(PatternRule rule)
    {
        if (rule.NegativeFilter is null || NegativeCount == 0)
        {
            return false;
        }
        if (rule.NegativeTimeWindow is not { } window)
        {
            return true;
        }
        if (PositiveCount == 0)
        {
            return false;
        }
        var from = LastSeenTicks;
        var to = from + window.Ticks;
        if (_negatives is { Count: > 0 } kept && kept[0] <= to)
        {
            return true;
        }
        return MaxDroppedNegativeTicks is { } dropped && dropped >= from && dropped <= to;
    }

    private void TrackWindow(PatternRule rule, long windowTicks, long ticks)
    {
        var minCount = rule.MinCount;
        if (minCount <= 1)
        {
            WindowSatisfied = true;
            return;
        }
        _window ??= new SortedTickBuffer(WindowCapacity(rule));
        var at = _window.Insert(ticks, out _);
        var n = _window.Count;
        if (at < 0)
        {
            // Older than everything kept: the best window it can be part of starts at it.
            WindowSatisfied = n >= minCount - 1 && _window[minCount - 2] - ticks <= windowTicks;
        }
        else
        {
            // Only windows containing the new timestamp are new; there are at most min_count of them.
            for (var j = Math.Max(0, at - minCount + 1); j <= at && j + minCount - 1 < n; j++)
            {
                if (_window[j + minCount - 1] - _window[j] <= windowTicks)
                {
                    WindowSatisfied = true;
                    break;
                }
            }
        }
        if (WindowSatisfied)
        {
            _window = null;
        }
    }

    public RuleStateSnapshot ToSnapshot(string code, ulong fingerprint) => new()
    {
        Code = code,
        Fingerprint = fingerprint,
        Positives = PositiveCount,
        FirstSeen = PositiveCount > 0 ? FirstSeenTicks : null,
        LastSeen = PositiveCount > 0 ? LastSeenTicks : null,
        Evidence = Evidence.Count > 0 ? Evidence.ToArray() : null,
        WindowSatisfied = WindowSatisfied,
        Window = _window is { Count: > 0 } w ? w.ToArray() : null,
        Negatives = NegativeCount,
        NegativeTicks = _negatives is { Count: > 0 } n ? n.ToArray() : null,
        MaxDroppedNegative = MaxDroppedNegativeTicks,
    };

    public static RuleState FromSnapshot(PatternRule rule, RuleStateSnapshot s) => new()
    {
        PositiveCount = s.Positives,
        FirstSeenTicks = s.FirstSeen ?? long.MaxValue,
        LastSeenTicks = s.LastSeen ?? long.MinValue,
        _evidence = Evidence.FromSorted(s.Evidence ?? []),
        WindowSatisfied = s.WindowSatisfied,
        _window = s.Window is { } w ? SortedTickBuffer.FromSorted(WindowCapacity(rule), w) : null,
        NegativeCount = s.Negatives,
        _negatives = s.NegativeTicks is { } n ? SortedTickBuffer.FromSorted(NegativeCapacity, n) : null,
        MaxDroppedNegativeTicks = s.MaxDroppedNegative,
    };
}
