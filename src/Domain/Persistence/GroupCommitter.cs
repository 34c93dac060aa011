using System.Threading.Channels;

namespace SessionInsights.Domain.Persistence;

/// <summary>
/// Group commit: callers submit items one at a time; writer loops take everything queued (up to a
/// weight limit) and commit it in one storage call, so throughput does not hang on one round trip
/// per item. With one writer, batches commit in submission order.
/// </summary>
public sealed class GroupCommitter<TItem, TResult> : IAsyncDisposable
{
    public delegate Task<IReadOnlyList<TResult>> CommitBatch(IReadOnlyList<TItem> items, CancellationToken ct);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly CommitBatch _commit;
    private readonly Func<TItem, int> _weight;
    private readonly int _maxBatchWeight;
    private readonly Task[] _writers;
    private readonly CancellationTokenSource _stop = new();
    private long _queuedWeight;

    public GroupCommitter(CommitBatch commit, Func<TItem, int> weight, int maxBatchWeight, int writers = 1)
    {
        _commit = commit;
        _weight = weight;
        _maxBatchWeight = maxBatchWeight;
        _writers = new Task[writers];
        for (var i = 0; i < writers; i++)
        {
            _writers[i] = Task.Run(WriteLoopAsync);
        }
    }

    /// <summary>Weight of items submitted and not yet committed: the persistence backlog.</summary>
    public long QueuedWeight => Interlocked.Read(ref _queuedWeight);

    public Task<TResult> SubmitAsync(TItem item)
    {
        var pending = new Pending(item, _weight(item), new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Add(ref _queuedWeight, pending.Weight);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _queuedWeight, -pending.Weight);
            pending.Done.SetException(new ObjectDisposedException(nameof(GroupCommitter<TItem, TResult>)));
        }
        return pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>();
        var items = new List<TItem>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            items.Clear();
            var weight = 0;
            while (weight < _maxBatchWeight && reader.TryRead(out var p))
            {
                batch.Add(p);
                items.Add(p.Item);
                weight += p.Weight;
            }
            if (batch.Count == 0)
            {
                continue;
            }
            await CommitAsync(batch, items, weight).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<Pending> batch, List<TItem> items, int weight)
    {
        try
        {
            var results = await _commit(items, _stop.Token).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var p in batch)
            {
                p.Done.TrySetException(ex);
            }
        }
        finally
        {
            Interlocked.Add(ref _queuedWeight, -weight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Drain what callers were already promised an answer for, then stop.
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed record Pending(TItem Item, int Weight, TaskCompletionSource<TResult> Done);
}
