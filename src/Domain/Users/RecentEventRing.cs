using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Users;

/// <summary>
/// The user's latest events, sorted by timestamp then sequence number, at most a fixed number. A ring
/// so that the usual in-order event is O(1); a late one shifts only the events after it. Each slot keeps
/// its sort key beside the event, so that placing a new event does not read older event objects.
/// </summary>
internal sealed class RecentEventRing
{
    private readonly Slot[] _items;
    private int _head;

    public RecentEventRing(int capacity) => _items = new Slot[Math.Max(0, capacity)];

    public int Count { get; private set; }

    /// <summary>True once any event fell out: older events are then only in storage.</summary>
    public bool HasEvicted { get; private set; }

    public EnrichedEvent this[int index] => _items[(_head + index) % _items.Length].Event;

    public void Add(EnrichedEvent e)
    {
        if (_items.Length == 0)
        {
            HasEvicted = true;
            return;
        }
        var slot = new Slot(e.Timestamp.UtcTicks, e.SequenceNumber, e);
        var pos = Count;
        while (pos > 0 && SlotAt(pos - 1).IsAfter(slot))
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
            SlotAt(i) = SlotAt(i - 1);
        }
        SlotAt(pos) = slot;
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

    private ref Slot SlotAt(int index) => ref _items[(_head + index) % _items.Length];

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

    private readonly record struct Slot(long Ticks, int Seq, EnrichedEvent Event)
    {
        public bool IsAfter(in Slot other) => Ticks != other.Ticks ? Ticks > other.Ticks : Seq > other.Seq;
    }
}
