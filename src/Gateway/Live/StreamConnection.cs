using System.Threading.Channels;
using SessionInsights.Domain.Live;
using SessionInsights.Grains.Abstractions;

namespace SessionInsights.Gateway.Live;

/// <summary>
/// One open live stream: a grain observer subscribed to the user grain and renewed every
/// <see cref="RenewEvery"/>. A renewal that reaches a new activation (the old silo died, or the
/// subscription expired) gets that activation's backlog; whatever this connection already sent is
/// dropped by id, so nothing arrives twice and, as every event not yet committed is replayed by the
/// new activation, nothing is missed.
/// </summary>
internal sealed class StreamConnection : IUserStreamObserver
{
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Items waiting for the socket; a client that far behind is told to reset.</summary>
    public const int QueueCapacity = 4096;

    /// <summary>Ids remembered per connection: comfortably more than a backlog (256) and a burst in flight.</summary>
    public const int SentIdsKept = 4096;

    private readonly object _lock = new();
    private readonly IGrainFactory _grains;
    private readonly IUserGrain _grain;
    private readonly DateTimeOffset _openedAt;
    private readonly SentIds _sent = new(SentIdsKept);
    private readonly Channel<Outgoing> _out = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true });
    private readonly IUserStreamObserver _reference;
    private string? _lastId;
    private bool _first = true;
    private bool _subscribing;
    private List<StreamItem>? _early;
    private string? _silo;

    public StreamConnection(IGrainFactory grains, long projectId, string userId, string? lastEventId, DateTimeOffset openedAt)
    {
        _grains = grains;
        _grain = grains.GetUser(projectId, userId);
        _lastId = lastEventId;
        _openedAt = openedAt;
        _reference = grains.CreateObjectReference<IUserStreamObserver>(this);
    }

    /// <summary>What the writer sends: an item, a comment, or the end of the stream after a reset.</summary>
    public ChannelReader<Outgoing> Output => _out.Reader;

    public Task OnItems(StreamBatch batch)
    {
        lock (_lock)
        {
            if (_subscribing)
            {
                // Pushed while the subscription's answer is on its way: its backlog comes first.
                (_early ??= []).AddRange(batch.Items);
            }
            else
            {
                Accept(batch.Items);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Subscribes or renews; false when the grain did not answer (its silo may be dead: the next renewal finds the new activation).</summary>
    public async Task<bool> SubscribeAsync(CancellationToken ct)
    {
        string? lastId;
        lock (_lock)
        {
            _subscribing = true;
            lastId = _lastId;
        }
        StreamSubscription? reply = null;
        try
        {
            reply = await _grain.Subscribe(_reference, new StreamResume(lastId, _openedAt)).WaitAsync(CallTimeout, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            lock (_lock)
            {
                if (reply is not null)
                {
                    OnSubscribed(reply, lastId);
                }
                _subscribing = false;
                if (_early is { } early)
                {
                    _early = null;
                    Accept(early);
                }
            }
        }
    }

    /// <summary>Renews until <paramref name="ct"/> ends (the client left).</summary>
    public async Task RenewAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(RenewEvery);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            await SubscribeAsync(ct).ConfigureAwait(false);
        }
    }

    public void Close()
    {
        try
        {
            _ = _grain.Unsubscribe(_reference);
        }
        catch (Exception)
        {
            // The subscription expires by itself.
        }
        _grains.DeleteObjectReference<IUserStreamObserver>(_reference);
    }

    private void OnSubscribed(StreamSubscription reply, string? lastId)
    {
        if (reply.Renewed)
        {
            return;
        }
        if (!string.Equals(reply.Silo, _silo, StringComparison.Ordinal))
        {
            _silo = reply.Silo;
            // A comment: clients ignore it; operators and the failover test see where the grain lives.
            _out.Writer.TryWrite(new Outgoing(null, $"subscribed silo={reply.Silo}"));
        }
        var first = _first;
        _first = false;
        if (first && lastId is null)
        {
            // A new client starts from now: what the grain kept before is not sent, and not sent later either.
            foreach (var item in reply.Backlog)
            {
                _sent.Add(item.Id);
            }
            return;
        }
        if (first && !reply.Found)
        {
            // The client's Last-Event-ID is older than what the grain keeps (or from a gone activation).
            foreach (var item in reply.Backlog)
            {
                _sent.Add(item.Id);
            }
            _lastId = null;
            _out.Writer.TryWrite(new Outgoing(new StreamItem("", StreamOutput.Reset, StreamOutput.ResetData(lastId!)), null));
            return;
        }
        Accept(reply.Backlog);
    }

    private void Accept(IReadOnlyList<StreamItem> items)
    {
        foreach (var item in items)
        {
            if (!_sent.Add(item.Id))
            {
                continue;
            }
            _lastId = item.Id;
            if (!_out.Writer.TryWrite(new Outgoing(item, null)))
            {
                _out.Writer.TryComplete(new StreamOverflowException());
                return;
            }
        }
    }

    public sealed record Outgoing(StreamItem? Item, string? Comment);
}

/// <summary>The client reads too slowly: its queue is full.</summary>
internal sealed class StreamOverflowException() : Exception("the stream's client fell more than 4096 items behind");
