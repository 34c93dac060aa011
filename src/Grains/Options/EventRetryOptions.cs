using SessionInsights.Domain.Users;

namespace SessionInsights.Grains.Options;

/// <summary>
/// Configuration section <c>EventRetries</c>: automatic retries of events whose processing threw a
/// possibly transient error, before they become dead letters (docs/ingestion.md "Events that fail").
/// </summary>
public sealed class EventRetryOptions
{
    public const string Section = "EventRetries";

    /// <summary>Automatic retries after the first failure (0: a failure is a dead letter at once).</summary>
    public int RetryAttempts { get; set; } = 3;

    /// <summary>The wait before the first retry; each next one waits twice as long (1 s, 2 s, 4 s…).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No retry waits longer than this.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often each silo looks for due retries (one small query on the pending set).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public EventRetryPolicy ToPolicy() => new(RetryAttempts, BaseDelay, MaxDelay);

    internal IEnumerable<string> Validate()
    {
        if (RetryAttempts is < 0 or > 20)
        {
            yield return "EventRetries:RetryAttempts must be from 0 to 20";
        }
        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay || MaxDelay > TimeSpan.FromDays(1))
        {
            yield return "EventRetries:BaseDelay must be positive and EventRetries:MaxDelay from BaseDelay to 1 day";
        }
        if (PollInterval < TimeSpan.FromMilliseconds(100) || PollInterval > TimeSpan.FromMinutes(10))
        {
            yield return "EventRetries:PollInterval must be from 100 ms to 10 minutes";
        }
    }
}
