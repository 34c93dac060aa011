namespace SessionInsights.Domain.Sessions;

/// <summary>
/// The first <see cref="Capacity"/> distinct page titles of a session by first-seen (timestamp, sequence
/// number). Only the titles with the earliest first-seen keys are kept: the k-th earliest key can only
/// move earlier, so a title outside the top k can only enter through an event earlier than the current
/// k-th, which is checked in O(k). A struct with inline storage, kept inside its session's aggregate.
/// </summary>
internal struct FirstSeenTitles
{
    public const int Capacity = 3;

    private Entries _entries;

    public int Count { get; private set; }

    /// <summary>Bumped on every change, so that the summary can be cached.</summary>
    public int Version { get; private set; }

    public readonly string this[int index] => _entries[index].Title;

    public void Observe(string title, long ticks, int seq)
    {
        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(_entries[i].Title, title, StringComparison.Ordinal))
            {
                if (_entries[i].IsAfter(ticks, seq))
                {
                    _entries[i] = new Entry(title, ticks, seq);
                    MoveUp(i);
                    Version++;
                }
                return;
            }
        }
        int at;
        if (Count < Capacity)
        {
            at = Count++;
        }
        else if (_entries[Capacity - 1].IsAfter(ticks, seq))
        {
            at = Capacity - 1;
        }
        else
        {
            return;
        }
        _entries[at] = new Entry(title, ticks, seq);
        MoveUp(at);
        Version++;
    }

    public readonly TitleSnapshot[] ToSnapshot()
    {
        var result = new TitleSnapshot[Count];
        for (var i = 0; i < Count; i++)
        {
            result[i] = new TitleSnapshot(_entries[i].Title, _entries[i].Ticks, _entries[i].Seq);
        }
        return result;
    }

    public static FirstSeenTitles FromSnapshot(TitleSnapshot[]? snapshot)
    {
        var titles = default(FirstSeenTitles);
        foreach (var t in snapshot ?? [])
        {
            titles.Observe(t.Title, t.Ticks, t.Seq);
        }
        return titles;
    }

    private void MoveUp(int i)
    {
        while (i > 0 && _entries[i - 1].IsAfter(_entries[i].Ticks, _entries[i].Seq))
        {
            (_entries[i - 1], _entries[i]) = (_entries[i], _entries[i - 1]);
            i--;
        }
    }

    private readonly record struct Entry(string Title, long Ticks, int Seq)
    {
        public bool IsAfter(long ticks, int seq) => Ticks != ticks ? Ticks > ticks : Seq > seq;
    }

    [System.Runtime.CompilerServices.InlineArray(Capacity)]
    private struct Entries
    {
        private Entry _first;
    }
}
