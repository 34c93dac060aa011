using Microsoft.Extensions.Logging;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Reads;
using SessionInsights.Domain.Users;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Options;

namespace SessionInsights.Grains.Hosting;

/// <summary>How the gateway talks to grains, whether the silo is in this process or the gateway is an Orleans client.</summary>
public sealed class GrainClient(IGrainFactory grains, GrainsOptions settings, StorageContextReader storageReader, ILogger<GrainClient> log)
{
    /// <summary>Hands durable events to their user grain; fire-and-forget (a lost delivery is recovered from the log).</summary>
    public void Deliver(long projectId, string userId, IReadOnlyList<StoredEvent> events) =>
        Forget(() => grains.GetUser(projectId, userId).Deliver(new EventBatch(events)), userId);

    public void RecoverPending(long projectId, string userId) =>
        Forget(() => grains.GetUser(projectId, userId).RecoverPending(), userId);

    /// <summary>The user's context from the live grain or, when it does not answer in time, from storage.</summary>
    public async Task<ContextRead> GetContextAsync(
        long projectId, string userId, int limit, double? lookbackHours, CancellationToken ct, bool confirmedOnly = false, int previousSessions = SessionHistory.Default)
    {
        try
        {
            var reply = await grains.GetUser(projectId, userId).GetContext(new ContextQuery(limit, lookbackHours, confirmedOnly, previousSessions))
                .WaitAsync(settings.ContextFallbackAfter, ct).ConfigureAwait(false);
            return new ContextRead(reply.Json, FromGrain: true, reply.RulesVersion);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Its silo died and the grain has not moved yet, no silo is reachable, or activation failed.
            log.LogDebug(ex, "user {User}: the grain did not answer, reading storage", userId);
            TimeSpan? lookback = lookbackHours is { } h ? TimeSpan.FromHours(h) : null;
            var (json, rulesVersion) = await storageReader.ReadAsync(projectId, userId, limit, lookback, ct, confirmedOnly, previousSessions).ConfigureAwait(false);
            return new ContextRead(json, FromGrain: false, rulesVersion);
        }
    }

    public Task<SessionReply> GetSessionAsync(long projectId, string sessionId, int limit, CancellationToken ct) =>
        grains.GetSession(projectId, sessionId).Get(limit).WaitAsync(settings.AskTimeout, ct);

    /// <summary>Erases a user everywhere; a large history takes a while, so the wait is generous.</summary>
    public Task<ErasureReply> EraseAsync(long projectId, string userId, string requestedBy, CancellationToken ct) =>
        grains.GetUser(projectId, userId).Erase(requestedBy).WaitAsync(TimeSpan.FromMinutes(2), ct);

    private void Forget(Func<Task> send, string userId)
    {
        try
        {
            send().ContinueWith(t => log.LogDebug(t.Exception, "user {User}: delivery lost; the pending sweeper replays it", userId),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (Exception ex)
        {
            log.LogDebug(ex, "user {User}: delivery lost; the pending sweeper replays it", userId);
        }
    }
}
