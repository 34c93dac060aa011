using System.Text.Json.Serialization;

namespace SessionInsights.Grains.Patterns;

/// <summary>One event that passed a rule's positive filter, with the key it is ordered by.</summary>
public readonly record struct EvidenceEvent(
    [property: JsonPropertyName("id")] Guid EventId,
    [property: JsonPropertyName("t")] long TimestampTicks,
    [property: JsonPropertyName("seq")] int SequenceNumber)
{
    internal int CompareKey(long ticks, int seq) =>
        TimestampTicks != ticks ? TimestampTicks.CompareTo(ticks) : SequenceNumber.CompareTo(seq);
}

/// <summary>
/// The <see cref="Capacity"/> latest (by timestamp, then sequence number) events that passed a rule's
/// positive filter. Ordering by timestamp rather than arrival makes the list independent of delivery order.
/// </summary>
internal sealed class Evidence
{
    public const int Capacity = 10;

    private readonly EvidenceEvent[] _items = new EvidenceEvent[Capacity];

    public int Count { get; private set; }

    public EvidenceEvent this[int index] => _items[index];

    public void Add(Guid id, long ticks, int seq)
    {
        int pos;
        if (Count < Capacity)
        {
            pos = Count;
            Count++;
        }
        else
        {
            if (_items[0].CompareKey(ticks, seq) >= 0)
            {
                return;
            }
            Array.Copy(_items, 1, _items, 0, Capacity - 1);
            pos = Capacity - 1;
        }
        // Insertion sort from the end: in-order arrivals stop at once.
        while (pos > 0 && _items[pos - 1].CompareKey(ticks, seq) > 0)
        {
            _items[pos] = _items[pos - 1];
            pos--;
        }
        _items[pos] = new EvidenceEvent(id, ticks, seq);
    }

    public EvidenceEvent[] ToArray() => _items.AsSpan(0, Count).ToArray();

    public static Evidence FromSorted(EvidenceEvent[] items)
    {
        var evidence = new Evidence();
        var keep = Math.Min(items.Length, Capacity);
        Array.Copy(items, items.Length - keep, evidence._items, 0, keep);
        evidence.Count = keep;
        return evidence;
    }
}
