using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Options;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// Runs on every silo beside <see cref="PendingSweeper"/>: finds events whose automatic retry is due
/// and tells their user grains to replay (their pending read returns the due events). When nothing is
/// due a tick is one query on the pending set (events in flight only: small) that returns no row.
/// Several silos may poke the same grain: a replay is idempotent (the grain skips what it holds).
/// </summary>
public sealed class RetrySweeper(GrainServices services, IGrainFactory grains, IOptions<EventRetryOptions> options, ILogger<RetrySweeper> log) : BackgroundService
{
    private const int MaxUsersPerTick = 1000;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    var users = await services.RawLog.FindUsersWithDueRetriesAsync(MaxUsersPerTick, ct).ConfigureAwait(false);
                    foreach (var user in users)
                    {
                        _ = grains.GetUser(user.ProjectId, user.DistinctId).RecoverPending();
                    }
                    if (users.Count > 0)
                    {
                        log.LogInformation("Retrying failed events of {Users} users", users.Count);
                    }
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    log.LogWarning(ex, "Retry sweep failed");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
