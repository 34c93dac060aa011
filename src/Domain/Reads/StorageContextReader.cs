using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.RuleSets;
using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Users;

namespace SessionInsights.Domain.Reads;

/// <summary>
/// Renders a user's context the way a freshly activated grain would (snapshot + PENDING raw events +
/// stored recent events) without activating one and without writing anything. Used when the grain
/// does not answer in time: its silo died and the grain has not reactivated elsewhere yet, or no silo is up at all.
/// </summary>
/// <remarks>
/// The result holds every acknowledged event. Sequence numbers of events still PENDING follow the
/// raw log's order; the live grain numbers them by arrival, which is the same on one gateway and may
/// differ with several until the grain commits.
/// </remarks>
public sealed class StorageContextReader(IGrainStateStore store, IRawEventLog rawLog, RuleCatalog rules, TimeProvider time)
{
    /// <summary>The context's JSON and the version of the project's rules it was evaluated with.</summary>
    public async Task<(byte[] Json, long RulesVersion)> ReadAsync(
        long projectId, string userId, int limit, TimeSpan? lookback, CancellationToken ct, bool confirmedOnly = false, int previousSessions = SessionHistory.Default)
    {
        var inForce = await rules.GetAsync(projectId, ct);
        var options = inForce.Options;
        var snapshot = store.LoadUserAsync(projectId, userId, ct);
        var pending = rawLog.ReadPendingAsync(projectId, userId, ct);
        // The recent ring stays empty: the events come from the committed rows and the PENDING ones below.
        var activity = await snapshot is { } snap
            ? UserActivity.FromSnapshot(userId, UserGrainState.Read(snap.State).Activity, [], options)
            : new UserActivity(userId, options);
        var now = time.GetUtcNow();
        DateTimeOffset? since = lookback is { } lb ? Events.EventTime.Subtract(now, lb) : null;
        // Every PENDING event is kept, not just what the in-memory ring holds: after a long outage
        // there can be more of them than the ring's capacity, and storage has none of them yet.
        var applied = new List<EnrichedEvent>();
        // In the grain's replay order: events committed without a snapshot take their stored numbers
        // (the merge below keeps one copy of each, by id).
        foreach (var raw in ReplayOrder.Arrange(await pending))
        {
            try
            {
                var e = activity.Apply(raw.Event, now).Event;
                if (since is null || e.Timestamp >= since)
                {
                    applied.Add(e);
                }
            }
            catch (Exception)
            {
                // The grain will record it as FAILED; a read just leaves it out.
            }
        }
        // Rows closed here may be dropped from memory at once: they overlay their stored (open) rows.
        var closed = activity.CloseIdleSessions(now);
        var storedSessions = activity.CanServePreviousSessionsFromMemory(previousSessions)
            ? null
            : store.LoadUserSessionsAsync(projectId, userId, previousSessions + 1, ct);
        var committed = await store.LoadRecentEventsAsync(projectId, userId, limit, since, ct);
        var previous = storedSessions is null
            ? activity.PreviousSessions(previousSessions, now)
            : activity.PreviousSessions(previousSessions, now, await storedSessions, closed);
        return (activity.RenderContext(RecentEventsMerge.Merge(committed, applied, limit), now, confirmedOnly, previous), inForce.Version);
    }
}
