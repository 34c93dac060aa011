using SessionInsights.Domain.Webhooks;

namespace SessionInsights.Domain.Storage;

/// <summary>
/// The webhook outbox (<c>webhook_delivery</c>, docs/webhooks.md): one row per pattern firing and
/// endpoint. Rows are added by user grains' commits (<see cref="UserCommit.Webhooks"/>, in the same
/// transaction as the events that fired them, a duplicate id and endpoint ignored); the dispatchers
/// claim due rows under a lease, send them and record the outcome.
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>
    /// Takes up to <paramref name="limit"/> pending rows whose next attempt is due and whose lease (if
    /// any) has run out, oldest due first, and leases them for <paramref name="lease"/>: another
    /// dispatcher (another silo) skips them until then. A dispatcher that dies mid-send leaves the row
    /// to be taken again when the lease ends (at least once).
    /// </summary>
    Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken ct = default);

    /// <summary>Records attempts' outcomes: attempts + 1, the status or error, and delivered, due again after the delay, or failed. Clears the lease.</summary>
    Task CompleteAsync(IReadOnlyList<WebhookAttemptResult> results, CancellationToken ct = default);

    /// <summary>The latest rows (by firing time, newest first), of one project or all; payloads left out.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListRecentAsync(long? projectId, int limit, CancellationToken ct = default);

    /// <summary>How many rows are in each state, of one project or all.</summary>
    Task<WebhookDeliveryCounts> CountAsync(long? projectId, CancellationToken ct = default);

    /// <summary>Deletes delivered and failed rows finished before <paramref name="before"/>; returns how many went.</summary>
    Task<long> PruneAsync(DateTimeOffset before, CancellationToken ct = default);
}

/// <summary>A row for the outbox, made by a user grain when a pattern fires (<see cref="WebhookFirings"/>).</summary>
/// <param name="Id">The idempotency id, derived from the firing (same after a replay).</param>
/// <param name="Endpoint">The endpoint's URL, which names it in configuration.</param>
/// <param name="Payload">The JSON body, as sent.</param>
public sealed record WebhookOutboxRow(
    Guid Id,
    string Endpoint,
    long ProjectId,
    string UserId,
    string SessionId,
    string PatternCode,
    string Kind,
    DateTimeOffset FiredAt,
    string Payload);

/// <summary>An outbox row as stored.</summary>
/// <param name="State"><c>pending</c>, <c>delivered</c> or <c>failed</c>.</param>
/// <param name="Payload">The JSON body (empty in lists).</param>
public sealed record WebhookDelivery(
    Guid Id,
    string Endpoint,
    long ProjectId,
    string UserId,
    string SessionId,
    string PatternCode,
    string Kind,
    DateTimeOffset FiredAt,
    string Payload,
    string State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    int? LastStatus,
    string? LastError,
    DateTimeOffset? FinishedAt);

/// <summary>One attempt's outcome for <see cref="IWebhookOutbox.CompleteAsync"/>.</summary>
/// <param name="RetryAfter">With <see cref="WebhookOutcome.Retry"/>: due again this long after now.</param>
public sealed record WebhookAttemptResult(Guid Id, string Endpoint, WebhookOutcome Outcome, int? Status, string? Error, TimeSpan? RetryAfter = null);

public sealed record WebhookDeliveryCounts(long Pending, long Delivered, long Failed);

/// <summary>The states of <c>webhook_delivery.state</c>.</summary>
public static class WebhookStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public static string Of(WebhookOutcome outcome) => outcome switch
    {
        WebhookOutcome.Delivered => Delivered,
        WebhookOutcome.Retry => Pending,
        _ => Failed,
    };
}
