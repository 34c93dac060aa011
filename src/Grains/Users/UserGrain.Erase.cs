using SessionInsights.Domain.Users;
using SessionInsights.Grains.Abstractions;

namespace SessionInsights.Grains.Users;

/// <summary>Erasing a person (DELETE /users/{distinct_id}): storage, memory and the session views.</summary>
public sealed partial class UserGrain
{
    public async Task<ErasureReply> Erase(string requestedBy)
    {
        // No commit starts from now on (the flush timer interleaves), and one in flight lands first,
        // so that what it writes is erased with the rest. Erase does not interleave with calls: no
        // delivery applies meanwhile, they wait behind it.
        _erasing = true;
        try
        {
            while (_writing is { } writing)
            {
                await writing;
            }
            return await EraseAsync(requestedBy);
        }
        finally
        {
            _erasing = false;
        }
    }

    private async Task<ErasureReply> EraseAsync(string requestedBy)
    {
        var memorySessions = _buffer.Uncommitted.Concat(_inFlight?.Enriched ?? []).Select(e => e.SessionId).OfType<string>().ToList();
        var erased = await services.Store.EraseUserAsync(ProjectId, UserId, requestedBy);

        // Deliveries of events that were PENDING may still be on their way: they must not bring the
        // erased person back. They are skipped as already replayed; events stored later apply.
        var now = Now;
        _replayed = new ReplayedEvents();
        foreach (var uuid in erased.PendingUuids)
        {
            _replayed.Add(uuid, now);
        }
        services.Metrics.UnsavedChanged(-Unsaved);
        _buffer = new CommitBuffer();
        _inFlight = null;
        _recoveryWanted = false;
        ForgetSnapshotClock();
        _activity = new UserActivity(UserId, _rules.Options);
        ForgetStream();
        StartWebhooks();
        // The snapshot row is gone: the next commit starts the new person at version 1.
        await state.ClearStateAsync();

        await Task.WhenAll(erased.SessionIds.Concat(memorySessions).Distinct(StringComparer.Ordinal)
            .Select(id => GrainFactory.GetSession(ProjectId, id).Forget()));
        return new ErasureReply(erased.RawEvents, erased.EnrichedEvents, erased.Sessions, erased.Snapshots);
    }
}
