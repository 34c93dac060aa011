using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace SessionInsights.Domain.Patterns;

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
/// positive filter. Ordering by timestamp rather than arrival makes the list independent of delivery
/// order. A struct with inline storage, so that it lives inside its <see cref="RuleState"/>: one object
/// per rule and session rather than three, which matters when thousands of users' states interleave.
/// </summary>
internal struct Evidence
{
    public const int Capacity = 10;

    private Items _items;

    public int Count { get; private set; }

    public readonly EvidenceEvent this[int index] => _items[index];

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
            Span<EvidenceEvent> items = _items;
            items[1..].CopyTo(items);
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

    public readonly EvidenceEvent[] ToArray() => ((ReadOnlySpan<EvidenceEvent>)_items)[..Count].ToArray();

    public static Evidence FromSorted(EvidenceEvent[] items)
    {
        var evidence = default(Evidence);
        var keep = Math.Min(items.Length, Capacity);
        items.AsSpan(items.Length - keep).CopyTo(evidence._items);
        evidence.Count = keep;
        return evidence;
    }

    [InlineArray(Capacity)]
    private struct Items
    {
        private EvidenceEvent _first;
    }
}
