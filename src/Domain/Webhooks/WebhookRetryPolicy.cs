namespace SessionInsights.Domain.Webhooks;

/// <summary>What to do after one delivery attempt.</summary>
public enum WebhookOutcome
{
    Delivered,
    Retry,
    Failed,
}

/// <summary>
/// Decides what an attempt's answer means. 2xx: delivered. 5xx, 408, 429, a timeout or a connection
/// error: the receiver may take it later, so retry after an exponential backoff (base, twice as long
/// each time, capped) until <see cref="MaxAttempts"/> attempts were made, then failed. Anything else
/// (3xx, other 4xx): the receiver refuses this request as it is, and sending it again would not
/// change that: failed at once.
/// </summary>
public sealed class WebhookRetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
{
    public int MaxAttempts { get; } = maxAttempts;

    /// <param name="attempts">Attempts made, this one included.</param>
    /// <param name="status">The HTTP status, or null when no answer came (timeout, connection refused).</param>
    public (WebhookOutcome Outcome, TimeSpan? RetryAfter) Judge(int attempts, int? status)
    {
        if (status is >= 200 and < 300)
        {
            return (WebhookOutcome.Delivered, null);
        }
        var transient = status is null or 408 or 429 or >= 500;
        if (!transient || attempts >= MaxAttempts)
        {
            return (WebhookOutcome.Failed, null);
        }
        return (WebhookOutcome.Retry, Delay(attempts));
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt: base, 2×base, 4×base…, at most the cap.</summary>
    public TimeSpan Delay(int attempts)
    {
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 30);
        var ticks = baseDelay.Ticks * (double)(1L << exponent);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
