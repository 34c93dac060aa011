using Microsoft.Extensions.Logging;
using Orleans.Placement;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Sessions;
using SessionInsights.Domain.Storage;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Grains.Sessions;

/// <summary>
/// One grain per PostHog session: the session-scoped view (aggregates and its latest events) that
/// <c>GET /session/{id}</c> and the insights page read. The owning user grain keeps it current with
/// one-way updates; on its first call it loads what storage has, unless that call is the update that
/// carries every event of a new session.
/// </summary>
/// <remarks>
/// An update can be lost (a silo died mid-call) and an activation can miss events not committed yet.
/// Two repairs follow: when the row counts more events than this grain holds, or an update skipped
/// sequence numbers, it reloads from storage a moment later; and an activation that may have missed
/// updates sent to its predecessor (storage already had the session, or a read woke it) reloads once
/// after the user grain has had time to commit. Rows only move forward
/// (<see cref="SessionRecord.IsAtLeastAsFreshAs"/>): copies arrive from storage and from user grain
/// activations in no guaranteed order.
/// <para>Placed on the silo of its first caller, which is nearly always its user grain's update: the
/// updates, one per user batch, then stay within one silo.</para>
/// </remarks>
[PreferLocalPlacement]
public sealed class SessionGrain(GrainServices services, ILogger<SessionGrain> log) : Grain, ISessionGrain
{
    private const int EventsKept = 200;
    private const int MaxReloadsPerGap = 5;
    private static readonly TimeSpan ReloadDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SettleMargin = TimeSpan.FromSeconds(2);
    private readonly List<EnrichedEvent> _events = [];
    private readonly HashSet<Guid> _eventIds = [];

    /// <summary>Events held as storage has them: their numbering is committed and final.</summary>
    private readonly HashSet<Guid> _committed = [];
    private readonly SequenceGaps _gaps = new(EventsKept);
    private SessionRecord? _row;
    private int _reloads;
    private bool _reloadArmed;
    private bool? _settle;
    private Task? _loading;
    private IGrainTimer _reloadTimer = null!;

    private (long ProjectId, string Id)? _key;

    private long ProjectId => Key.ProjectId;

    private string SessionId => Key.Id;

    /// <summary>Parsed once: the key names the project and the session id.</summary>
    private (long ProjectId, string Id) Key => _key ??= GrainKeys.Of(this.GetGrainId());

    public override Task OnActivateAsync(CancellationToken ct)
    {
        services.Metrics.SessionActivated();
        _reloadTimer = this.RegisterGrainTimer(ReloadAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = false });
        // Storage is read on the first call, not here: a session woken by its first update has
        // nothing in storage to read (most activations, one per new session), and costs no query.
        return Task.CompletedTask;
    }

    /// <summary>The first call's load, shared by an interleaved read that arrives during it.</summary>
    private Task EnsureLoadedAsync(SessionUpdate? first)
    {
        if (_loading is null)
        {
            // Every event the session has is in this update: storage holds nothing it lacks.
            _loading = first is { } u && u.Row.EventCount == u.Events.Count ? Task.CompletedTask : FirstLoadAsync();
        }
        return _loading;
    }

    private async Task FirstLoadAsync()
    {
        try
        {
            await LoadAsync(CancellationToken.None);
            // Storage had the session: updates sent to an earlier activation may have been lost.
            _settle = _row is not null ? true : null;
        }
        catch (Exception ex)
        {
            // Storage unavailable: serve what the user grain sends; settle later.
            log.LogWarning(ex, "session {Session}: load failed", SessionId);
            _settle = true;
        }
        if (_settle == true)
        {
            Settle();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        services.Metrics.SessionDeactivated();
        return Task.CompletedTask;
    }

    public async Task Apply(SessionUpdate update)
    {
        await EnsureLoadedAsync(update);
        // A brand-new session woken by its first update has missed nothing.
        _settle ??= false;
        TakeRow(update.Row);
        AddEvents(update.Events, fromStorage: false);
        _gaps.Arrived(update.Events.Select(e => e.SequenceNumber));
        RepairIfIncomplete();
    }

    public async Task<SessionReply> Get(int eventsLimit)
    {
        await EnsureLoadedAsync(null);
        if (_settle is null)
        {
            _settle = true;
            Settle();
        }
        return SessionView.Render(_row, _events, eventsLimit) is { } json
            ? new SessionReply(true, json)
            : new SessionReply(false, []);
    }

    public Task Forget()
    {
        _row = null;
        _events.Clear();
        _eventIds.Clear();
        _committed.Clear();
        _reloadArmed = false;
        _reloadTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private void Settle()
    {
        _reloadArmed = true;
        _reloadTimer.Change(services.Settings.FlushDelay + SettleMargin, Timeout.InfiniteTimeSpan);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var row = services.Store.LoadSessionAsync(ProjectId, SessionId, ct);
        var events = services.Store.LoadSessionEventsAsync(ProjectId, SessionId, EventsKept, ct);
        TakeRow(await row);
        var loaded = await events;
        AddEvents(loaded, fromStorage: true);
        _gaps.Loaded(loaded.Select(e => e.SequenceNumber));
    }

    private async Task ReloadAsync()
    {
        _reloadArmed = false;
        try
        {
            await LoadAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "session {Session}: reload failed", SessionId);
        }
        RepairIfIncomplete();
    }

    private void TakeRow(SessionRecord? row)
    {
        if (row is not null && (_row is null || row.IsAtLeastAsFreshAs(_row)))
        {
            _row = row;
        }
    }

    /// <summary>
    /// Schedules a reload when this grain knows it lacks events: the row counts more than it has
    /// seen, or an update skipped sequence numbers (bounded per gap).
    /// </summary>
    private void RepairIfIncomplete()
    {
        if (_row is not { } row)
        {
            return;
        }
        var complete = !_gaps.Any && _gaps.Highest >= row.EventCount && HoldsLatestNumbers(row);
        if (complete)
        {
            _reloads = 0;
            return;
        }
        if (_reloads < MaxReloadsPerGap && !_reloadArmed)
        {
            _reloads++;
            _reloadArmed = true;
            _reloadTimer.Change(ReloadDelay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Whether the events held are the ones the row counts (<see cref="SessionViewNumbers.HoldsLatest"/>).
    /// A copy numbered by a user grain activation that died before committing shows here as a
    /// number out of place, and a reload brings storage's copy.
    /// </summary>
    private bool HoldsLatestNumbers(SessionRecord row)
    {
        // Runs on every update: the numbers on the stack (at most EventsKept) rather than in a set.
        Span<int> held = stackalloc int[_events.Count];
        for (var i = 0; i < held.Length; i++)
        {
            held[i] = _events[i].SequenceNumber;
        }
        return SessionViewNumbers.HoldsLatest(held, row.EventCount, EventsKept);
    }

    private void AddEvents(IReadOnlyList<EnrichedEvent> events, bool fromStorage)
    {
        var before = _events.Count;
        var replaced = false;
        foreach (var e in events)
        {
            if (_eventIds.Add(e.EnrichedEventId))
            {
                _events.Add(e);
                if (fromStorage)
                {
                    _committed.Add(e.EnrichedEventId);
                }
            }
            else if (fromStorage || !_committed.Contains(e.EnrichedEventId))
            {
                // Storage's copy is final; among updates the latest wins. A copy from a user grain
                // activation whose commit was refused or lost (it died) carries a number storage
                // never got; the replay that commits the event, and storage after it, carry the
                // committed one, and a late update from the dead activation cannot undo storage's.
                if (fromStorage)
                {
                    _committed.Add(e.EnrichedEventId);
                }
                var at = _events.FindIndex(x => x.EnrichedEventId == e.EnrichedEventId);
                if (at >= 0)
                {
                    replaced |= _events[at].SequenceNumber != e.SequenceNumber || _events[at].Timestamp != e.Timestamp;
                    _events[at] = e;
                }
            }
        }
        // Events nearly always arrive in order: sort only when an appended one is out of place
        // (a full sort per update was visible in a /batch profile).
        for (var i = replaced ? 1 : Math.Max(1, before); i < _events.Count; i++)
        {
            if (EventOrder.ForReaders(_events[i - 1], _events[i]) > 0)
            {
                _events.Sort(EventOrder.ForReaders);
                break;
            }
        }
        if (_events.Count > EventsKept)
        {
            foreach (var dropped in _events.GetRange(0, _events.Count - EventsKept))
            {
                _eventIds.Remove(dropped.EnrichedEventId);
                _committed.Remove(dropped.EnrichedEventId);
            }
            _events.RemoveRange(0, _events.Count - EventsKept);
        }
    }
}
