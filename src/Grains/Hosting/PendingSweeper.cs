using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using SessionInsights.Grains.Abstractions;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// Runs on every silo. Finds raw events that stayed PENDING too long (their delivery was lost: a
/// silo died mid-call) and tells their user grains to replay the log. This is what makes
/// "acknowledged" mean "will be applied" without the gateway ever retrying. It also closes, in
/// storage, sessions whose user grain deactivated before their idle timeout came.
/// </summary>
/// <remarks>
/// Right after the cluster's membership changes deliveries are most likely lost, so for a while
/// after a change the sweep runs every second with a short threshold.
/// </remarks>
public sealed class PendingSweeper(GrainServices services, IGrainFactory grains, IClusterMembershipService membership, ILogger<PendingSweeper> log) : BackgroundService
{
    private static readonly TimeSpan HurriedInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HurriedStaleAfter = TimeSpan.FromSeconds(1);

    /// <summary>Long enough to cover failure detection and the grains' move.</summary>
    private static readonly TimeSpan HurryFor = TimeSpan.FromSeconds(30);
    private long _hurryUntilTicks;

    private bool Hurried => services.Time.GetUtcNow().UtcTicks < Interlocked.Read(ref _hurryUntilTicks);

    protected override Task ExecuteAsync(CancellationToken ct) => Task.WhenAll(SweepAsync(ct), WatchMembershipAsync(ct));

    private async Task WatchMembershipAsync(CancellationToken ct)
    {
        try
        {
            MembershipVersion? seen = null;
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(ct).ConfigureAwait(false))
            {
                if (seen is not null && snapshot.Version != seen)
                {
                    Interlocked.Exchange(ref _hurryUntilTicks, (services.Time.GetUtcNow() + HurryFor).UtcTicks);
                }
                seen = snapshot.Version;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task SweepAsync(CancellationToken ct)
    {
        var settings = services.Settings;
        var lastFullSweep = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(HurriedInterval < settings.SweepInterval ? HurriedInterval : settings.SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                var now = services.Time.GetUtcNow();
                var due = now - lastFullSweep >= settings.SweepInterval;
                if (!due && !Hurried)
                {
                    continue;
                }
                try
                {
                    var staleAfter = Hurried ? HurriedStaleAfter : settings.StalePendingAfter;
                    var users = await services.RawLog.FindUsersWithStalePendingAsync(staleAfter, 1000, ct).ConfigureAwait(false);
                    foreach (var user in users)
                    {
                        _ = grains.GetUser(user.ProjectId, user.DistinctId).RecoverPending();
                    }
                    if (users.Count > 0)
                    {
                        log.LogInformation("Recovering stale pending events of {Users} users", users.Count);
                    }
                    if (due)
                    {
                        lastFullSweep = now;
                        await services.Store.CloseIdleSessionsAsync(now - services.Options.SessionIdleTimeout, ct).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    log.LogWarning(ex, "Pending sweep failed");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
