using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionInsights.Domain.Storage;
using SessionInsights.Grains.Options;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// Runs on every silo: deletes raw and enriched events older than <c>Retention:EventDays</c>, a small
/// batch at a time with a pause between batches, so that ingestion never waits behind it. Silos
/// that run it at once share the work (each batch takes the head of the log as it then is).
/// </summary>
public sealed class RetentionSweeper(IGrainStateStore store, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweeper> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var settings = options.Value;
        if (settings.EventDays == 0)
        {
            return;
        }
        try
        {
            while (!ct.IsCancellationRequested)
            {
                long raw = 0, enriched = 0;
                try
                {
                    var before = time.GetUtcNow().AddDays(-settings.EventDays);
                    while (!ct.IsCancellationRequested)
                    {
                        var started = time.GetTimestamp();
                        var (r, e) = await store.PruneAsync(before, settings.BatchSize, ct).ConfigureAwait(false);
                        raw += r;
                        enriched += e;
                        if (r == 0)
                        {
                            break;
                        }
                        // A slow batch means a busy database: the pause grows with it.
                        var took = time.GetElapsedTime(started);
                        var pause = took * (1 / settings.DutyCycle - 1);
                        await Task.Delay(pause > settings.BatchPause ? pause : settings.BatchPause, time, ct).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    log.LogWarning(ex, "Retention sweep failed; retrying at the next interval");
                }
                if (raw > 0)
                {
                    log.LogInformation("Retention: deleted {Raw} raw and {Enriched} enriched events older than {Days} days", raw, enriched, settings.EventDays);
                }
                await Task.Delay(settings.Interval, time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
