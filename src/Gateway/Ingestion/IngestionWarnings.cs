using System.Collections.Concurrent;

namespace SessionInsights.Gateway.Ingestion;

/// <summary>
/// One correction or anomaly found in an event at ingestion (docs/ingestion.md, "Ingestion warnings"):
/// its <see cref="IngestionWarnings"/> type, what the client sent and what the gateway used instead.
/// </summary>
public sealed record IngestionAnomaly(string Type, string Sent, string Used);

/// <summary>A recorded example of a warning: which event, what was sent, what was used, when.</summary>
public sealed record IngestionWarningExample(long ProjectId, Guid Uuid, string DistinctId, string Sent, string Used, DateTimeOffset At);

/// <summary>One warning type: how often it happened since this gateway started, and the latest examples, newest first.</summary>
public sealed record IngestionWarningCount(string Type, string Description, long Count, IReadOnlyList<IngestionWarningExample> Latest);

/// <summary>Every warning type of this gateway process, counted since <see cref="Since"/>.</summary>
public sealed record IngestionWarningsView(DateTimeOffset GeneratedAt, DateTimeOffset Since, IReadOnlyList<IngestionWarningCount> Types);

/// <summary>
/// Ingestion warnings of this gateway process: a counter per type (also the meter's
/// <c>si.ingest.warnings</c> with a <c>type</c> tag) and the latest few examples per type.
/// Thread-safe; recording is an interlocked increment and a short lock on the type's small ring,
/// and nothing at all happens for an event without warnings.
/// </summary>
public sealed class IngestionWarnings
{
    public const string TimestampInFuture = "timestamp_in_future";
    public const string TimestampTooOld = "timestamp_too_old";
    public const string ClockSkewCorrected = "clock_skew_corrected";
    public const string InvalidSentAt = "invalid_sent_at";
    public const string DistinctIdTruncated = "distinct_id_truncated";
    public const string InvalidOffset = "invalid_offset";

    /// <summary>A sent_at correction smaller than this is a normal clock, not worth a warning.</summary>
    public static readonly TimeSpan SkewThreshold = TimeSpan.FromMinutes(1);

    /// <summary>Examples kept per type.</summary>
    public const int ExamplesPerType = 5;

    /// <summary>Sent and used values longer than this are cut in examples.</summary>
    public const int MaxExampleLength = 120;

    private static readonly (string Type, string Description)[] Known =
    [
        (TimestampInFuture, "timestamp (after sent_at correction) more than 23 hours after the receive time: replaced by the receive time"),
        (TimestampTooOld, "timestamp (after sent_at correction) before 2000-01-01: replaced by the receive time"),
        (ClockSkewCorrected, "sent_at applied and the client's clock was more than 1 minute off: timestamp shifted"),
        (InvalidSentAt, "sent_at present but not a valid time: ignored"),
        (DistinctIdTruncated, "distinct_id longer than 200 characters: cut"),
        (InvalidOffset, "offset (without a timestamp) not whole milliseconds from 0 to one year: ignored, the receive time used"),
    ];

    // Per project: a project's key sees its own warnings only; operators see all of them.
    private readonly ConcurrentDictionary<(long Project, string Type), TypeState> _types = new();
    private readonly IngestMetrics _metrics;
    private readonly TimeProvider _time;

    public IngestionWarnings(IngestMetrics metrics, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
        Since = time.GetUtcNow();
    }

    public DateTimeOffset Since { get; }

    /// <summary>Records the anomalies of one accepted event.</summary>
    public void Record(IEnumerable<IngestionAnomaly> anomalies, long projectId, Guid uuid, string distinctId)
    {
        foreach (var a in anomalies)
        {
            var state = _types.GetOrAdd((projectId, a.Type), static _ => new TypeState());
            Interlocked.Increment(ref state.Count);
            state.Add(new IngestionWarningExample(projectId, uuid, Cut(distinctId), Cut(a.Sent), Cut(a.Used), _time.GetUtcNow()));
            _metrics.Warnings.Add(1, new KeyValuePair<string, object?>("type", a.Type));
        }
    }

    /// <summary>Every known type (zero when none was seen) and any other seen: of one project, or of all (null).</summary>
    public IngestionWarningsView Snapshot(long? projectId)
    {
        var seen = _types.Where(t => projectId is null || t.Key.Project == projectId).GroupBy(t => t.Key.Type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Count: g.Sum(t => Interlocked.Read(ref t.Value.Count)),
                Latest: g.SelectMany(t => t.Value.Latest()).OrderByDescending(e => e.At).Take(ExamplesPerType).ToList()), StringComparer.Ordinal);
        var descriptions = Known.ToDictionary(k => k.Type, k => k.Description, StringComparer.Ordinal);
        return new IngestionWarningsView(
            _time.GetUtcNow(),
            Since,
            [.. descriptions.Keys.Union(seen.Keys).Order(StringComparer.Ordinal)
                .Select(type => seen.TryGetValue(type, out var s)
                    ? new IngestionWarningCount(type, descriptions.GetValueOrDefault(type, ""), s.Count, s.Latest)
                    : new IngestionWarningCount(type, descriptions.GetValueOrDefault(type, ""), 0, []))]);
    }

    private static string Cut(string text) => text.Length <= MaxExampleLength ? text : $"{text[..MaxExampleLength]}… ({text.Length} characters)";

    private sealed class TypeState
    {
        private readonly IngestionWarningExample[] _ring = new IngestionWarningExample[ExamplesPerType];
        private int _next;
        private int _filled;
        public long Count;

        public void Add(IngestionWarningExample example)
        {
            lock (_ring)
            {
                _ring[_next] = example;
                _next = (_next + 1) % _ring.Length;
                _filled = Math.Min(_filled + 1, _ring.Length);
            }
        }

        public IReadOnlyList<IngestionWarningExample> Latest()
        {
            lock (_ring)
            {
                var latest = new IngestionWarningExample[_filled];
                for (var i = 0; i < _filled; i++)
                {
                    latest[i] = _ring[(_next - 1 - i + 2 * _ring.Length) % _ring.Length];
                }
                return latest;
            }
        }
    }
}
