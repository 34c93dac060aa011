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
}
