using SessionInsights.Domain.Events;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Storage;

/// <summary>
/// An append request with in-batch duplicates removed before it reaches the database: the first
/// occurrence of a uuid is the one stored, later ones report <c>Inserted = false</c>. Doing this in
/// memory keeps "first wins" independent of how a backend orders conflicting rows.
/// </summary>
internal sealed class AppendBatch
{
    private readonly IReadOnlyList<PostHogEvent> _events;
    private readonly bool[] _isFirst;

    public AppendBatch(IReadOnlyList<PostHogEvent> events)
    {
        _events = events;
        _isFirst = new bool[events.Count];
        var seen = new HashSet<Guid>(events.Count);
        var unique = new List<PostHogEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (seen.Add(events[i].Uuid))
            {
                _isFirst[i] = true;
                unique.Add(events[i]);
            }
        }
        Unique = unique;
    }

    /// <summary>The events to write, in input order (which is the order their seq is assigned in).</summary>
    public IReadOnlyList<PostHogEvent> Unique { get; }

    /// <summary>Results in input order, given the seq of every uuid the database actually inserted.</summary>
    public IReadOnlyList<AppendResult> Results(IReadOnlyDictionary<Guid, long> insertedSeqs)
    {
        var results = new AppendResult[_events.Count];
        for (var i = 0; i < _events.Count; i++)
        {
            var uuid = _events[i].Uuid;
            results[i] = _isFirst[i] && insertedSeqs.TryGetValue(uuid, out var seq)
                ? new AppendResult(uuid, seq, Inserted: true)
                : new AppendResult(uuid, 0, Inserted: false);
        }
        return results;
    }
}
