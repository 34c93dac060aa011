using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Users;

/// <summary>Joins stored events with in-memory ones (some not yet committed) into one recent list.</summary>
public static class RecentEventsMerge
{
    public static IReadOnlyList<EnrichedEvent> Merge(IReadOnlyList<EnrichedEvent> stored, IReadOnlyList<EnrichedEvent> memory, int limit)
    {
        var byId = new Dictionary<Guid, EnrichedEvent>(stored.Count + memory.Count);
        foreach (var e in stored)
        {
            byId[e.EnrichedEventId] = e;
        }
        foreach (var e in memory)
        {
            byId[e.EnrichedEventId] = e;
        }
        var all = byId.Values.ToList();
        all.Sort(EventOrder.ForReaders);
        return all.Count <= limit ? all : all.GetRange(all.Count - limit, limit);
    }
}
