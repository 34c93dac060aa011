using SessionInsights.Domain.Events;
using SessionInsights.Domain.Users;
using SessionInsights.Domain.Webhooks;

namespace SessionInsights.Grains.Users;

/// <summary>
/// Webhooks on pattern firings and confirmations (docs/webhooks.md): the grain only appends outbox rows to its commit,
/// so they are stored in the same transaction as the events that fired them, and ingestion never
/// waits for a receiver. The silos' <see cref="Webhooks.WebhookDispatcher"/> sends them.
/// </summary>
public sealed partial class UserGrain
{
    private void RecordWebhooks(StoredEvent stored, AppliedEvent applied)
    {
        if (services.WebhookEndpoints.Count == 0)
        {
            return;
        }
        var rows = WebhookFirings.Rows(applied, ProjectId, UserId, stored.Event.Uuid, Now, services.WebhookEndpoints, services.PublicBaseUrl);
        if (rows.Count > 0)
        {
            _buffer.Fired(rows);
        }
        // A later event can pass a pending pattern's deadline and confirm it.
        RecordConfirmations();
    }

    /// <summary>With endpoints configured, the activity collects confirmations; without, it allocates nothing for them.</summary>
    private void StartWebhooks()
    {
        if (services.WebhookEndpoints.Count > 0)
        {
            _activity.ConfirmedPatterns = [];
        }
    }

    /// <summary>
    /// <c>pattern.confirmed</c> rows for what the activity just confirmed, in the buffer beside the
    /// session rows that show the confirmed status, so both are stored by one commit.
    /// </summary>
    private void RecordConfirmations()
    {
        if (_activity.ConfirmedPatterns is not { Count: > 0 } confirmed)
        {
            return;
        }
        var rows = WebhookFirings.ConfirmedRows(confirmed, ProjectId, UserId, Now, services.WebhookEndpoints, services.PublicBaseUrl);
        confirmed.Clear();
        if (rows.Count > 0)
        {
            _buffer.Fired(rows);
        }
    }
}
