using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Webhooks;
using SessionInsights.Grains.Options;

namespace SessionInsights.Grains.Webhooks;

/// <summary>
/// Runs on every silo when webhook endpoints are configured: claims due outbox rows (a lease, so two
/// silos never send one row at once), sends them concurrently, records each outcome
/// (<see cref="WebhookRetryPolicy"/>) and deletes finished rows past their retention. A full batch is
/// followed at once by the next; otherwise it waits <c>Webhooks:PollInterval</c>. Nothing here is on
/// the ingestion path: grains only append rows.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceProvider services, IOptions<WebhookOptions> options, WebhookSender sender, WebhookMetrics metrics, TimeProvider time, ILogger<WebhookDispatcher> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var settings = options.Value;
        if (settings.Endpoints.Count == 0)
        {
            return;
        }
        // Resolved only now: a silo without endpoints needs no outbox (test clusters register none).
        var outbox = services.GetRequiredService<IWebhookOutbox>();
        var endpoints = settings.ToEndpoints().ToDictionary(e => e.Url, StringComparer.Ordinal);
        var policy = settings.ToPolicy();
        var pruneAt = DateTimeOffset.MinValue;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var full = false;
                try
                {
                    if (time.GetUtcNow() >= pruneAt)
                    {
                        var pruned = await outbox.PruneAsync(time.GetUtcNow() - settings.Retention, ct).ConfigureAwait(false);
                        if (pruned > 0)
                        {
                            log.LogInformation("Webhooks: deleted {Rows} finished deliveries older than {Retention}", pruned, settings.Retention);
                        }
                        pruneAt = time.GetUtcNow() + TimeSpan.FromMinutes(10);
                    }
                    var claimed = await outbox.ClaimDueAsync(settings.BatchSize, settings.Lease, ct).ConfigureAwait(false);
                    if (claimed.Count > 0)
                    {
                        var results = await Task.WhenAll(claimed.Select(d => AttemptAsync(d, endpoints, policy, settings.Timeout, ct))).ConfigureAwait(false);
                        await outbox.CompleteAsync(results, ct).ConfigureAwait(false);
                    }
                    full = claimed.Count == settings.BatchSize;
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // Storage unreachable: the leases run out and the rows are taken again later.
                    log.LogWarning(ex, "Webhook dispatch failed; retrying");
                }
                if (!full)
                {
                    await Task.Delay(settings.PollInterval, time, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<WebhookAttemptResult> AttemptAsync(
        WebhookDelivery delivery, Dictionary<string, WebhookEndpoint> endpoints, WebhookRetryPolicy policy, TimeSpan timeout, CancellationToken ct)
    {
        if (!endpoints.TryGetValue(delivery.Endpoint, out var endpoint))
        {
            // Its endpoint was removed from the configuration: nowhere to send it, no secret to sign it with.
            metrics.Failed.Add(1);
            return new WebhookAttemptResult(delivery.Id, delivery.Endpoint, WebhookOutcome.Failed, null, "endpoint no longer configured");
        }
        var (status, error) = await sender.SendAsync(delivery, endpoint, timeout, ct).ConfigureAwait(false);
        var attempts = delivery.Attempts + 1;
        var (outcome, retryAfter) = policy.Judge(attempts, status);
        switch (outcome)
        {
            case WebhookOutcome.Delivered:
                metrics.Delivered.Add(1);
                metrics.LatencyMs.Record((time.GetUtcNow() - delivery.FiredAt).TotalMilliseconds);
                break;
            case WebhookOutcome.Retry:
                metrics.Retried.Add(1);
                break;
            default:
                metrics.Failed.Add(1);
                log.LogWarning("Webhook {Id} to {Endpoint} failed after {Attempts} attempts: {Error}", delivery.Id, delivery.Endpoint, attempts, error);
                break;
        }
        return new WebhookAttemptResult(delivery.Id, delivery.Endpoint, outcome, status, error, retryAfter);
    }
}
