using System.Text.Json;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Domain.Users;

/// <summary>
/// What happens to an event whose processing threw (docs/ingestion.md "Events that fail"). A failure
/// that may be transient is retried after <see cref="BaseDelay"/>, doubling each time up to
/// <see cref="MaxDelay"/>, at most <see cref="RetryAttempts"/> times; then, or at once for a
/// permanent failure, the event is a dead letter that waits for "retry all after a fix".
/// </summary>
public sealed record EventRetryPolicy(int RetryAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static EventRetryPolicy Default { get; } = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

    /// <summary>
    /// Permanent: the event itself is invalid for the domain (an argument, format or JSON error says
    /// so: the same input fails the same way every time). Anything else (an unexpected exception, a
    /// timeout, storage or a dependency failing) may be transient or a bug a deploy fixes: retried.
    /// </summary>
    public static bool IsPermanent(Exception ex) => ex is ArgumentException or FormatException or JsonException;

    /// <summary>
    /// The failure to commit for an event that failed now, after <paramref name="previousAttempts"/>
    /// failed tries: retried later (PENDING with a delay), or a dead letter (no delay).
    /// </summary>
    public RawFailure OnFailure(Guid uuid, Exception ex, int previousAttempts)
    {
        var attempts = previousAttempts + 1;
        var reason = $"{ex.GetType().Name}: {ex.Message}";
        return IsPermanent(ex) || attempts > RetryAttempts
            ? new RawFailure(uuid, reason, attempts)
            : new RawFailure(uuid, reason, attempts, DelayBefore(attempts));
    }

    /// <summary>The wait before the retry that follows the <paramref name="attempts"/>th failure: base, 2 × base, 4 × base…, capped.</summary>
    public TimeSpan DelayBefore(int attempts)
    {
        var delay = BaseDelay;
        for (var i = 1; i < attempts && delay < MaxDelay; i++)
        {
            delay *= 2;
        }
        return delay < MaxDelay ? delay : MaxDelay;
    }
}
