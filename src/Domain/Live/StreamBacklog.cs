namespace SessionInsights.Domain.Live;

/// <summary>
/// The latest stream entries of one user, oldest first, bounded: what a subscriber that comes back
/// (a gateway after a failover, a client with <c>Last-Event-ID</c>) may have missed.
/// </summary>
public sealed class StreamBacklog(int capacity)
{
    // Grows with use: most users that record at all (a fresh activation) add a few entries and stop.
    private readonly Queue<StreamEntry> _entries = new();

    public int Count => _entries.Count;

    public int Capacity => capacity;

    public void Add(StreamEntry entry)
    {
        if (_entries.Count >= capacity)
        {
            _entries.Dequeue();
        }
        _entries.Enqueue(entry);
    }

    /// <summary>
    /// The entries after the one with id <paramref name="lastId"/> when it is here (<paramref name="found"/>),
    /// else all of them but confirmations of windows that ended before <paramref name="openedAt"/>: those
    /// are old news a new activation repeats when it confirms what it restored, not something the
    /// subscriber missed.
    /// </summary>
    public List<StreamItem> After(string? lastId, DateTimeOffset openedAt, out bool found)
    {
        var entries = _entries.ToArray();
        var from = 0;
        found = false;
        if (lastId is not null)
        {
            // Newest first: the subscriber's last id is usually near the end.
            for (var i = entries.Length - 1; i >= 0; i--)
            {
                if (string.Equals(entries[i].Id, lastId, StringComparison.Ordinal))
                {
                    from = i + 1;
                    found = true;
                    break;
                }
            }
        }
        var items = new List<StreamItem>(entries.Length - from);
        for (var i = from; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (!found && entry.Type == StreamItem.PatternConfirmed && entry.DueAt < openedAt)
            {
                continue;
            }
            items.Add(entry.Render());
        }
        return items;
    }
}
