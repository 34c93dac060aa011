namespace SessionInsights.Domain.Live;

/// <summary>
/// The ids a stream connection sent last, bounded (oldest forgotten first): an item that comes again
/// (a new activation replays what the old one had pushed, a backlog overlaps what arrived live) is
/// dropped. Ids are not monotone (a retried event keeps its earlier sequence number), so a set, not a
/// watermark.
/// </summary>
public sealed class SentIds(int capacity)
{
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count => _set.Count;

    /// <summary>True when <paramref name="id"/> was not sent yet (and now counts as sent).</summary>
    public bool Add(string id)
    {
        if (!_set.Add(id))
        {
            return false;
        }
        _order.Enqueue(id);
        if (_order.Count > capacity)
        {
            _set.Remove(_order.Dequeue());
        }
        return true;
    }
}
