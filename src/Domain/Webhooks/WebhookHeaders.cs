namespace SessionInsights.Domain.Webhooks;

/// <summary>The headers of a webhook request (docs/webhooks.md).</summary>
public static class WebhookHeaders
{
    /// <summary><c>sha256=&lt;hex&gt;</c>: see <see cref="WebhookSignature"/>.</summary>
    public const string Signature = "X-SessionInsights-Signature";

    /// <summary>Unix seconds when this attempt was signed.</summary>
    public const string Timestamp = "X-SessionInsights-Timestamp";

    /// <summary>The firing's idempotency id: the same on every attempt, to every endpoint.</summary>
    public const string Delivery = "X-SessionInsights-Delivery";

    /// <summary>The payload's kind (<c>pattern.fired</c>).</summary>
    public const string Event = "X-SessionInsights-Event";

    /// <summary>Which attempt this is, from 1.</summary>
    public const string Attempt = "X-SessionInsights-Attempt";
}
