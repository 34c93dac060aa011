using Microsoft.Extensions.Logging;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// Finds raw events that stayed PENDING too long (their delivery was lost: a node died, a hand-off
/// dropped it) and tells their user grains to replay the log. This is what makes "acknowledged"
/// mean "will be applied" without the gateway ever retrying. It also closes, in storage, sessions
/// whose user grain passivated before their idle timeout came (no timer is left to close them).
/// </summary>
public sealed class PendingSweeper(GrainServices services, GrainClient client, ILogger<PendingSweeper> log)
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(services.Settings.SweepInterval);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            try
            {
                var users = await services.RawLog.FindUsersWithStalePendingAsync(services.Settings.StalePendingAfter, 1000, ct).ConfigureAwait(false);
                foreach (var user in users)
                {
                    client.RecoverPending(user);
                }
                if (users.Count > 0)
                {
                    log.LogInformation("Recovering stale pending events of {Users} users", users.Count);
                }
                await services.Store.CloseIdleSessionsAsync(services.Time.GetUtcNow() - services.Options.SessionIdleTimeout, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                log.LogWarning(ex, "Pending sweep failed");
            }
        }
    }
}
