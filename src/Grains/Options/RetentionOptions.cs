namespace SessionInsights.Grains.Options;

/// <summary>
/// Configuration section <c>Retention</c>: how long raw and enriched events are kept. Older ones are
/// deleted in the background in small batches (never a PENDING one); session aggregates and user
/// snapshots stay, so contexts keep their summaries and patterns (docs/security.md "Retention").
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Days an event is kept after it was received; 0 keeps events forever.</summary>
    public int EventDays { get; set; } = 90;

    /// <summary>Rows per delete: small, so a batch holds locks for milliseconds beside ingestion.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>The shortest pause between batches while old events remain.</summary>
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The most of its time the sweeper spends deleting: after a batch that took t it pauses
    /// t × (1 / DutyCycle − 1), so it slows down by itself when the database is busy. At 0.2, a
    /// backlog cost ingestion at saturation 15–20 % (docs/security.md "Retention").
    /// </summary>
    public double DutyCycle { get; set; } = 0.2;

    /// <summary>How often to look again once nothing old is left.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    internal IEnumerable<string> Validate()
    {
        if (EventDays < 0)
        {
            yield return "Retention:EventDays must be 0 (keep forever) or more";
        }
        if (BatchSize is < 1 or > 100_000)
        {
            yield return "Retention:BatchSize must be from 1 to 100000";
        }
        if (DutyCycle is <= 0 or > 1)
        {
            yield return "Retention:DutyCycle must be above 0 and at most 1";
        }
        if (BatchPause < TimeSpan.Zero || Interval < TimeSpan.FromSeconds(1))
        {
            yield return "Retention:BatchPause must not be negative and Retention:Interval must be at least 1 second";
        }
    }
}
