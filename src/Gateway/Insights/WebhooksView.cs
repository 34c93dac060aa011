using System.ComponentModel;

namespace SessionInsights.Gateway.Insights;

/// <summary>The dashboard's webhook panel: counts by state and the latest deliveries.</summary>
public sealed record WebhooksView(
    [property: Description("Deliveries waiting for their first or next attempt")] long Pending,
    [property: Description("Deliveries a receiver answered with 2xx (kept for Webhooks:Retention)")] long Delivered,
    [property: Description("Deliveries given up: a refusal (4xx other than 408/429), attempts used up, or an endpoint no longer configured")] long Failed,
    [property: Description("The latest deliveries, newest firing first")] IReadOnlyList<WebhookDeliveryView> Deliveries);

/// <summary>One webhook delivery: a pattern firing sent to one endpoint.</summary>
public sealed record WebhookDeliveryView(
    [property: Description("The idempotency id (X-SessionInsights-Delivery): the same on every attempt and to every endpoint")] Guid Id,
    [property: Description("The endpoint's URL")] string Endpoint,
    [property: Description("The project the pattern fired in")] long ProjectId,
    [property: Description("The user (distinct_id)")] string UserId,
    [property: Description("The session the pattern fired in")] string SessionId,
    [property: Description("The pattern rule's code")] string Pattern,
    [property: Description("The payload's kind: pattern.fired")] string Kind,
    [property: Description("When the pattern fired (RFC 3339 UTC)")] DateTimeOffset FiredAt,
    [property: Description("pending, delivered or failed")] string State,
    [property: Description("Attempts made so far")] int Attempts,
    [property: Description("When a pending delivery is tried next; null once finished")] DateTimeOffset? NextAttemptAt,
    [property: Description("The HTTP status of the last attempt; null when none came (timeout, connection error)")] int? LastStatus,
    [property: Description("Why the last attempt did not deliver; null after a 2xx")] string? LastError,
    [property: Description("When it was delivered or given up; null while pending")] DateTimeOffset? FinishedAt);
