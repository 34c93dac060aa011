using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Storage;

/// <summary>Reads a project's stored enriched events in bulk, streaming: for backtests of pattern rules.</summary>
public interface IEnrichedEventScan
{
    /// <summary>
    /// The project's events with a session whose timestamp is in [<paramref name="from"/>, <paramref name="to"/>),
    /// ordered by user id, then session id, then sequence number (each session's events together, in
    /// arrival order). Rows are read as the caller consumes them, never collected.
    /// </summary>
    IAsyncEnumerable<EnrichedEvent> ScanSessionEventsAsync(long projectId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default);
}
