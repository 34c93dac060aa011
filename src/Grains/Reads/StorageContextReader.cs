using SessionInsights.Grains.Actors;
using SessionInsights.Grains.Storage;
using SessionInsights.Grains.Users;

namespace SessionInsights.Grains.Reads;

/// <summary>
/// Renders a user's context the way a freshly activated grain would (snapshot + PENDING raw events +
/// stored recent events) without activating one and without writing anything. Used when the grain
/// does not answer in time: its silo died and the shard has not moved yet, or no silo is up at all.
/// </summary>
/// <remarks>
/// The result holds every acknowledged event. Sequence numbers of events still PENDING follow the
/// raw log's order; the live grain numbers them by arrival, which is the same on one gateway and may
/// differ with several until the grain commits.
/// </remarks>
public sealed class StorageContextReader(IGrainStateStore store, IRawEventLog rawLog, InsightsOptions options, TimeProvider time)
{
    public async Task<byte[]> ReadAsync(string userId, int limit, TimeSpan? lookback, CancellationToken ct)
    {
        var snapshot = store.LoadUserAsync(userId, ct);
        var pending = rawLog.ReadPendingAsync(userId, ct);
        var recent = store.LoadRecentEventsAsync(userId, options.RecentEventsCapacity, since: null, ct);
        var activity = await snapshot is { } snap
            ? UserActivity.FromSnapshot(userId, UserGrainState.Read(snap.State).Activity, await recent, options)
            : new UserActivity(userId, options);
        var now = time.GetUtcNow();
        foreach (var raw in await pending)
        {
            try
            {
                activity.Apply(raw.Event, now);
            }
            catch (Exception)
            {
                // The grain will record it as FAILED; a read just leaves it out.
            }
        }
        activity.CloseIdleSessions(now);
        if (activity.CanServeFromMemory(limit))
        {
            return activity.RenderContext(limit, lookback, now);
        }
        DateTimeOffset? since = lookback is { } lb ? now - lb : null;
        var older = await store.LoadRecentEventsAsync(userId, limit, since, ct);
        return activity.RenderContext(RecentEventsMerge.Merge(older, activity.RecentEvents(limit, lookback, now), limit));
    }
}
