using Orleans.Utilities;
using SessionInsights.Domain.Live;
using SessionInsights.Domain.Users;
using SessionInsights.Grains.Abstractions;

namespace SessionInsights.Grains.Users;

/// <summary>
/// The live stream (GET /session/stream/{user_id}): subscribers are grain observers kept with an
/// expiry (the gateway renews every second or so); items are pushed at apply time, one batch per
/// call that applied events. A bounded backlog of recent entries is kept while it may be needed: while
/// someone subscribes (and <see cref="BacklogHold"/> after) and for <see cref="BacklogHold"/> after
/// activation, so the gateway that re-subscribes after a failover finds the replayed events and those
/// that came meanwhile. A user nobody streams builds nothing past that window.
/// </summary>
public sealed partial class UserGrain
{
    /// <summary>Entries kept for subscribers that come back; each holds references the grain has anyway (~100 bytes of its own).</summary>
    internal const int StreamBacklogCapacity = 256;

    /// <summary>A subscriber not renewed for this long is dropped (the gateway renews every second).</summary>
    internal static readonly TimeSpan SubscriptionExpiry = TimeSpan.FromSeconds(6);

    /// <summary>How long the backlog is kept after activation and after the last subscriber.</summary>
    internal static readonly TimeSpan BacklogHold = TimeSpan.FromSeconds(30);

    private ObserverManager<IUserStreamObserver>? _subscribers;
    private StreamBacklog? _backlog;
    private List<StreamEntry>? _unpushed;
    private DateTimeOffset _keepBacklogUntil;
    private bool _recording;

    public Task<StreamSubscription> Subscribe(IUserStreamObserver observer, StreamResume resume)
    {
        _subscribers ??= new ObserverManager<IUserStreamObserver>(SubscriptionExpiry, log);
        StartRecording(Now + SubscriptionExpiry + BacklogHold);
        var renewed = _subscribers.Observers.ContainsKey(observer);
        _subscribers.Subscribe(observer, observer);
        if (renewed)
        {
            return Task.FromResult(new StreamSubscription(true, true, [], RuntimeIdentity));
        }
        var found = false;
        var backlog = _backlog is { } kept ? kept.After(resume.LastEventId, resume.OpenedAt, out found) : [];
        return Task.FromResult(new StreamSubscription(false, found, backlog, RuntimeIdentity));
    }

    public Task Unsubscribe(IUserStreamObserver observer)
    {
        _subscribers?.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>From activation: a gateway whose subscription died with the old activation catches up here.</summary>
    private void StartStream() => StartRecording(Now + BacklogHold);

    private void StartRecording(DateTimeOffset until)
    {
        if (until > _keepBacklogUntil)
        {
            _keepBacklogUntil = until;
        }
        if (!_recording)
        {
            _recording = true;
            _activity.Confirmations = [];
        }
    }

    /// <summary>Right after an event is applied: its entries (and any confirmations it caused) wait for <see cref="PushStream"/>.</summary>
    private void StreamApplied(long seq, AppliedEvent applied)
    {
        if (!_recording)
        {
            return;
        }
        var entries = _unpushed ??= [];
        TakeConfirmations(entries);
        StreamEntries.AddApplied(seq, applied, Now, entries);
    }

    /// <summary>At the end of a call that applied events or confirmed patterns: into the backlog, then to the subscribers as one batch.</summary>
    private void PushStream()
    {
        if (!_recording)
        {
            return;
        }
        if (_unpushed is null && _activity.Confirmations is not { Count: > 0 })
        {
            StopRecordingWhenUnneeded();
            return;
        }
        var entries = _unpushed ?? [];
        _unpushed = null;
        TakeConfirmations(entries);
        _backlog ??= new StreamBacklog(StreamBacklogCapacity);
        foreach (var entry in entries)
        {
            _backlog.Add(entry);
        }
        if (_subscribers is { Count: > 0 } subscribers)
        {
            var items = new StreamItem[entries.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = entries[i].Render();
            }
            var batch = new StreamBatch(items);
            // One-way calls; an expired subscriber is dropped by the manager here.
            subscribers.Notify(o => o.OnItems(batch));
        }
        StopRecordingWhenUnneeded();
    }

    private void TakeConfirmations(List<StreamEntry> into)
    {
        if (_activity.Confirmations is { Count: > 0 } confirmed)
        {
            into.AddRange(confirmed);
            confirmed.Clear();
        }
    }

    /// <summary>After an erase: the backlog held the erased person's events; subscribers stay.</summary>
    private void ForgetStream()
    {
        _backlog = null;
        _unpushed = null;
        if (_recording)
        {
            _activity.Confirmations = [];
        }
    }

    private void StopRecordingWhenUnneeded()
    {
        if (Now <= _keepBacklogUntil)
        {
            return;
        }
        _subscribers?.ClearExpired();
        if (_subscribers is { Count: > 0 })
        {
            return;
        }
        _recording = false;
        _backlog = null;
        _activity.Confirmations = null;
    }
}
