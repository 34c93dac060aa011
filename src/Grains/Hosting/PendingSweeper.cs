using Microsoft.Extensions.Logging;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// Finds raw events that stayed PENDING too long (their delivery was lost: a node died, a hand-off
/// dropped it) and tells their user grains to replay the log. This is what makes "acknowledged"
/// mean "will be applied" without the gateway ever retrying. It also closes, in storage, sessions
/// whose user grain passivated before their idle timeout came (no timer is left to close them).
/// </summary>
/// <remarks>
/// Right after the cluster changes (a node unreachable, leaving or removed) deliveries are most
/// likely lost: a gateway may still route to the old node while the grain already lives on a new
/// one. For a while after such a change the sweep runs every second with a short threshold.
/// </remarks>
public sealed class PendingSweeper(GrainServices services, GrainClient client, ILogger<PendingSweeper> log)
{
    private static readonly TimeSpan HurriedInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HurriedStaleAfter = TimeSpan.FromSeconds(1);
    private long _hurryUntilTicks;

    /// <summary>Sweeps fast for <paramref name="period"/> from now (the cluster's membership changed).</summary>
    public void Hurry(TimeSpan period) =>
        Interlocked.Exchange(ref _hurryUntilTicks, (services.Time.GetUtcNow() + period).UtcTicks);

    private bool Hurried => services.Time.GetUtcNow().UtcTicks < Interlocked.Read(ref _hurryUntilTicks);

    public async Task RunAsync(CancellationToken ct)
    {
        var lastFullSweep = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(HurriedInterval < services.Settings.SweepInterval ? HurriedInterval : services.Settings.SweepInterval);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            var now = services.Time.GetUtcNow();
            var due = now - lastFullSweep >= services.Settings.SweepInterval;
            if (!due && !Hurried)
            {
                continue;
            }
            try
            {
                var staleAfter = Hurried ? HurriedStaleAfter : services.Settings.StalePendingAfter;
                var users = await services.RawLog.FindUsersWithStalePendingAsync(staleAfter, 1000, ct).ConfigureAwait(false);
                foreach (var user in users)
                {
                    client.RecoverPending(user);
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
}
