using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SessionInsights.Domain.RuleSets;
using SessionInsights.Grains.Options;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// Keeps this process's <see cref="RuleCatalog"/> current: every <c>Grains:RulesRefreshInterval</c> it
/// reads each project's rule-set version (one small query, none while no project is loaded) and
/// recompiles the projects whose version moved. Grains switch at their next call.
/// </summary>
/// <remarks>
/// Polling, not a notification: SQLite has none, and PostgreSQL's LISTEN would need a connection held
/// per process for a change that happens a few times a day; a read of a few rows twice a second costs less.
/// </remarks>
public sealed class RuleRefresher(RuleCatalog catalog, GrainsOptions options, ILogger<RuleRefresher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.RulesRefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    if (await catalog.RefreshAsync(ct).ConfigureAwait(false) is > 0 and var changed)
                    {
                        log.LogInformation("Pattern rules changed in {Projects} project(s); grains switch at their next call", changed);
                    }
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    log.LogWarning(ex, "Reading the pattern rules' versions failed; the rules in use stay until the next try");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
