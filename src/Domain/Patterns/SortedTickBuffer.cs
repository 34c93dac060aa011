namespace SessionInsights.Domain.Patterns;

/// <summary>
/// Timestamps (UTC ticks) in ascending order, keeping only the <see cref="Capacity"/> latest. In-order
/// appends and removals from the front are amortized O(1); a late insert shifts at most Capacity items.
/// The bound is what keeps per-event work independent of a session's length.
/// </summary>
internal sealed class SortedTickBuffer
{
    private long[] _items;
    private int _start;

    public SortedTickBuffer(int capacity)
    {
        Capacity = capacity;
        _items = new long[Math.Min(capacity, 8)];
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    public long this[int index] => _items[_start + index];

    /// <summary>
    /// Inserts <paramref name="ticks"/> after any equal values. Returns its index, or -1 when the buffer
    /// is full and the value is not later than everything kept. <paramref name="dropped"/> is the value
    /// that no longer fits (the new one itself when -1 is returned), if any.
    /// </summary>
    public int Insert(long ticks, out long? dropped)
    {
        dropped = null;
        if (Count == Capacity)
        {
            if (ticks <= _items[_start])
            {
                dropped = ticks;
                return -1;
            }
            dropped = _items[_start];
            _start++;
            Count--;
        }

        var pos = UpperBound(ticks);
        EnsureRoomAtEnd();
        var at = _start + pos;
        Array.Copy(_items, at, _items, at + 1, Count - pos);
        _items[at] = ticks;
        Count++;
        return pos;
    }

    /// <summary>Removes every value below <paramref name="ticks"/>.</summary>
    public void RemoveBelow(long ticks)
    {
        while (Count > 0 && _items[_start] < ticks)
        {
            _start++;
            Count--;
        }
        if (Count == 0)
        {
            _start = 0;
        }
    }

    public long[] ToArray() => _items.AsSpan(_start, Count).ToArray();

    public static SortedTickBuffer FromSorted(int capacity, long[] values)
    {
        var buffer = new SortedTickBuffer(capacity);
        var keep = Math.Min(values.Length, capacity);
        buffer._items = new long[Math.Max(keep, buffer._items.Length)];
        Array.Copy(values, values.Length - keep, buffer._items, 0, keep);
        buffer.Count = keep;
        return buffer;
    }

    private int UpperBound(long ticks)
    {
        // Most events arrive in order: check the end before searching.
        if (Count == 0 || _items[_start + Count - 1] <= ticks)
        {
            return Count;
        }
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_items[_start + mid] <= ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private void EnsureRoomAtEnd()
    {
        if (_start + Count < _items.Length)
        {
            return;
        }
        // Slide to the front when at least half is free (amortized O(1)); otherwise grow.
        if (_start > 0 && _start >= _items.Length / 2)
        {
            Array.Copy(_items, _start, _items, 0, Count);
            _start = 0;
            return;
        }
        var grown = new long[Math.Max(4, _items.Length * 2)];
        Array.Copy(_items, _start, grown, 0, Count);
        _items = grown;
        _start = 0;
    }
}
