using SessionInsights.Domain.Events;
using SessionInsights.Domain.Users;
using SessionInsights.Domain.Webhooks;

namespace SessionInsights.Grains.Users;

/// <summary>
/// Webhooks on pattern firings (docs/webhooks.md): the grain only appends outbox rows to its commit,
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
    }
}
