namespace SessionInsights.Grains.Monitoring;

/// <summary>The last <c>capacity</c> items, oldest overwritten first; thread-safe (writers are rare: logs, pattern firings).</summary>
public sealed class RingBuffer<T>(int capacity)
{
    private readonly T[] _items = new T[capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity))];
    private readonly Lock _lock = new();
    private long _written;

    public int Capacity => _items.Length;

    /// <summary>How many items were ever added (also the sequence number of the next one).</summary>
    public long Written
    {
        get
        {
            lock (_lock)
            {
                return _written;
            }
        }
    }

    public void Add(T item)
    {
        lock (_lock)
        {
            _items[_written % _items.Length] = item;
            _written++;
        }
    }

    /// <summary>The kept items, oldest first.</summary>
    public T[] ToArray()
    {
        lock (_lock)
        {
            var count = (int)Math.Min(_written, _items.Length);
            var result = new T[count];
            var start = _written - count;
            for (var i = 0; i < count; i++)
            {
                result[i] = _items[(start + i) % _items.Length];
            }
            return result;
        }
    }

    /// <summary>
    /// The kept items numbered <paramref name="from"/> onwards (items are numbered from 0 in the order
    /// added), at most the latest <paramref name="max"/>, and the number of the first one returned
    /// (<see cref="Written"/> when none): what a reader that has seen everything before
    /// <paramref name="from"/> has not seen yet, minus what was overwritten.
    /// </summary>
    public (T[] Items, long First) ReadFrom(long from, int max)
    {
        lock (_lock)
        {
            var first = Math.Max(Math.Max(from, _written - _items.Length), _written - Math.Max(0, max));
            first = Math.Clamp(first, 0, _written);
            var result = new T[_written - first];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = _items[(first + i) % _items.Length];
            }
            return (result, first);
        }
    }
}
