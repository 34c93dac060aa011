using SessionInsights.Domain.Events;
using SessionInsights.Domain.Persistence;
using SessionInsights.Domain.Projects;
using SessionInsights.Domain.Storage;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Ingestion;

/// <summary>
/// The gateway's write path: requests' events are group-committed to the raw log by a single writer
/// (so log positions commit in order), and once durable they are handed to their user grains.
/// </summary>
public sealed class RawEventWriter : IAsyncDisposable
{
    private readonly GroupCommitter<IReadOnlyList<PostHogEvent>, AppendResult[]> _committer;
    private readonly IRawEventLog _log;
    private readonly GrainClient _grains;
    private readonly IngestMetrics _metrics;

    public RawEventWriter(IRawEventLog log, GrainClient grains, IngestMetrics metrics)
    {
        _log = log;
        _grains = grains;
        _metrics = metrics;
        _committer = new(CommitAsync, events => events.Count, maxBatchWeight: 5000, writers: 1);
    }

    public long Backlog => _committer.QueuedWeight;

    /// <summary>Completes when every event of the request is durable (or was already: a duplicate uuid).</summary>
    public Task<AppendResult[]> AppendAsync(IReadOnlyList<PostHogEvent> events) => _committer.SubmitAsync(events);

    private async Task<IReadOnlyList<AppendResult[]>> CommitAsync(IReadOnlyList<IReadOnlyList<PostHogEvent>> requests, CancellationToken ct)
    {
        var all = new List<PostHogEvent>();
        foreach (var r in requests)
        {
            all.AddRange(r);
        }
        using var span = Tracing.Source.StartActivity("ingest.append");
        span?.SetTag("si.events", all.Count);
        var results = await _log.AppendAsync(all, ct).ConfigureAwait(false);
        _metrics.EventsStored.Add(all.Count);
        // Delivered inside the span: Orleans carries its trace context to the user grains.
        Deliver(all, results);

        var perRequest = new AppendResult[requests.Count][];
        var offset = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            perRequest[i] = new AppendResult[requests[i].Count];
            for (var j = 0; j < perRequest[i].Length; j++)
            {
                perRequest[i][j] = results[offset++];
            }
        }
        return perRequest;
    }

    private void Deliver(List<PostHogEvent> events, IReadOnlyList<AppendResult> results)
    {
        // One message per user per batch, in log order; duplicates were never stored, so are never sent.
        var byUser = new Dictionary<UserRef, List<StoredEvent>>();
        for (var i = 0; i < events.Count; i++)
        {
            if (!results[i].Inserted)
            {
                continue;
            }
            var user = new UserRef(events[i].ProjectId, events[i].DistinctId);
            if (!byUser.TryGetValue(user, out var list))
            {
                byUser[user] = list = [];
            }
            list.Add(new StoredEvent(results[i].Seq, events[i]));
        }
        foreach (var (user, list) in byUser)
        {
            _grains.Deliver(user.ProjectId, user.DistinctId, list);
        }
    }

    public ValueTask DisposeAsync() => _committer.DisposeAsync();
}
