namespace SessionInsights.Domain.Sessions;

/// <summary>
/// The session sequence numbers a reader of one session knows it has missed. Sequence numbers are
/// 1..n with no hole, so an update that starts past the highest number seen so far proves that
/// the ones in between were lost; a later update or a storage load fills them.
/// </summary>
/// <remarks>
/// Only a window's worth of numbers below the highest is tracked: older ones fall out of the
/// events a session view keeps anyway.
/// </remarks>
public sealed class SequenceGaps(int window)
{
    private readonly HashSet<int> _missing = [];

    public int Highest { get; private set; }

    public bool Any => _missing.Count > 0;

    /// <summary>Records one update's numbers, as they arrive (any order).</summary>
    public void Arrived(IEnumerable<int> sequenceNumbers)
    {
        foreach (var seq in sequenceNumbers)
        {
            if (seq > Highest + 1)
            {
                for (var missing = Math.Max(Highest + 1, seq - window); missing < seq; missing++)
                {
                    _missing.Add(missing);
                }
            }
            _missing.Remove(seq);
            Highest = Math.Max(Highest, seq);
        }
        _missing.RemoveWhere(s => s <= Highest - window);
    }

    /// <summary>
    /// Records a storage load of the latest events. Storage holds a prefix 1..k of a session's
    /// numbers (a user grain commits in order), so a number up to the load's highest that the load
    /// lacks lies outside its window: it is no longer missing from the view.
    /// </summary>
    public void Loaded(IEnumerable<int> sequenceNumbers)
    {
        var loadedHighest = 0;
        foreach (var seq in sequenceNumbers)
        {
            loadedHighest = Math.Max(loadedHighest, seq);
        }
        Arrived(sequenceNumbers);
        _missing.RemoveWhere(s => s <= loadedHighest);
    }
}
