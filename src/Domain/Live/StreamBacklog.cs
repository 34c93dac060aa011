namespace SessionInsights.Domain.Live;

/// <summary>
/// The latest stream entries of one user, oldest first, bounded: what a subscriber that comes back
/// (a gateway after a failover, a client with <c>Last-Event-ID</c>) may have missed.
/// </summary>
public sealed class StreamBacklog(int capacity)
{
    private readonly StreamEntry[] _ring = new StreamEntry[Math.Max(1, capacity)];
    private int _start;

    public int Count { get; private set; }

    public int Capacity => _ring.Length;

    public void Add(StreamEntry entry)
    {
        if (Count < _ring.Length)
        {
            _ring[(_start + Count++) % _ring.Length] = entry;
            return;
        }
        _ring[_start] = entry;
        _start = (_start + 1) % _ring.Length;
    }

    /// <summary>
    /// The entries after the one with id <paramref name="lastId"/> when it is here (<paramref name="found"/>),
    /// else all of them but confirmations of windows that ended before <paramref name="openedAt"/>: those
    /// are old news a new activation repeats when it confirms what it restored, not something the
    /// subscriber missed.
    /// </summary>
    public List<StreamItem> After(string? lastId, DateTimeOffset openedAt, out bool found)
    {
        var from = 0;
        found = false;
        if (lastId is not null)
        {
            // Newest first: the subscriber's last id is usually near the end.
            for (var i = Count - 1; i >= 0; i--)
            {
                if (string.Equals(At(i).Id, lastId, StringComparison.Ordinal))
                {
                    from = i + 1;
                    found = true;
                    break;
                }
            }
        }
        var items = new List<StreamItem>(Count - from);
        for (var i = from; i < Count; i++)
        {
            var entry = At(i);
            if (!found && entry.Type == StreamItem.PatternConfirmed && entry.DueAt < openedAt)
            {
                continue;
            }
            items.Add(entry.Render());
        }
        return items;
    }

    private StreamEntry At(int i) => _ring[(_start + i) % _ring.Length];
}
