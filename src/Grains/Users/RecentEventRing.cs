using SessionInsights.Grains.Enrichment;

namespace SessionInsights.Grains.Users;

/// <summary>
/// The user's latest events, sorted by timestamp then sequence number, at most a fixed number. A ring
/// so that the usual in-order event is O(1); a late one shifts only the events after it.
/// </summary>
internal sealed class RecentEventRing
{
    private readonly EnrichedEvent[] _items;
    private int _head;

    public RecentEventRing(int capacity) => _items = new EnrichedEvent[Math.Max(0, capacity)];

    public int Capacity => _items.Length;

    public int Count { get; private set; }

    /// <summary>True once any event fell out: older events are then only in storage.</summary>
    public bool HasEvicted { get; private set; }

    public EnrichedEvent this[int index] => _items[(_head + index) % _items.Length];

    public void Add(EnrichedEvent e)
    {
        if (_items.Length == 0)
        {
            HasEvicted = true;
            return;
        }
        var pos = Count;
        while (pos > 0 && Compare(this[pos - 1], e) > 0)
        {
            pos--;
        }
        if (Count == _items.Length)
        {
            HasEvicted = true;
            if (pos == 0)
            {
                return;
            }
            _head = (_head + 1) % _items.Length;
            Count--;
            pos--;
        }
        for (var i = Count; i > pos; i--)
        {
            Set(i, this[i - 1]);
        }
        Set(pos, e);
        Count++;
    }

    /// <summary>The latest <paramref name="limit"/> events at or after <paramref name="since"/>, oldest first.</summary>
    public EnrichedEvent[] Select(int limit, DateTimeOffset? since)
    {
        var take = 0;
        while (take < Math.Min(limit, Count) && (since is not { } s || this[Count - 1 - take].Timestamp >= s))
        {
            take++;
        }
        var result = new EnrichedEvent[take];
        for (var i = 0; i < take; i++)
        {
            result[i] = this[Count - take + i];
        }
        return result;
    }

    public static int Compare(EnrichedEvent a, EnrichedEvent b)
    {
        var byTime = a.Timestamp.UtcTicks.CompareTo(b.Timestamp.UtcTicks);
        return byTime != 0 ? byTime : a.SequenceNumber.CompareTo(b.SequenceNumber);
    }

    private void Set(int index, EnrichedEvent e) => _items[(_head + index) % _items.Length] = e;

    public static RecentEventRing Restore(int capacity, IReadOnlyList<EnrichedEvent> oldestFirst, bool hasEvicted)
    {
        var recent = new RecentEventRing(capacity);
        foreach (var e in oldestFirst)
        {
            recent.Add(e);
        }
        recent.HasEvicted |= hasEvicted;
        return recent;
    }
}
