using SessionInsights.Domain.Storage;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Endpoints;

/// <summary>What a bulk retry of dead letters answers: how many events are PENDING again, of how many users.</summary>
public sealed record DeadLetterRetryResult(long Retried, int Users);

/// <summary>"Retry all dead letters after a fix", shared by the project API and the insights page.</summary>
public static class DeadLetterRetries
{
    /// <summary>
    /// Makes the dead letters PENDING again, then tells their users' grains to replay. A tell that is
    /// lost costs nothing: the pending sweeper replays stale PENDING events anyway.
    /// </summary>
    public static async Task<DeadLetterRetryResult> RetryAllAsync(IRawEventLog log, GrainClient grains, long? projectId, CancellationToken ct)
    {
        var retried = await log.RetryDeadLettersAsync(projectId, ct);
        foreach (var user in retried.Users)
        {
            grains.RecoverPending(user.ProjectId, user.DistinctId);
        }
        return new DeadLetterRetryResult(retried.Events, retried.Users.Count);
    }
}
