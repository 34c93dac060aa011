namespace SessionInsights.Domain.Enrichment;

/// <summary>The order everything shown to a reader follows (SPEC §5): timestamp, ties by sequence number.</summary>
public static class EventOrder
{
    public static readonly Comparison<EnrichedEvent> ForReaders = static (a, b) =>
    {
        var c = a.Timestamp.CompareTo(b.Timestamp);
        return c != 0 ? c : a.SequenceNumber.CompareTo(b.SequenceNumber);
    };
}
