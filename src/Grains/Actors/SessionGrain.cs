using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using SessionInsights.Grains.Abstractions.Messages;
using SessionInsights.Grains.Enrichment;
using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Sessions;
using SessionInsights.Grains.Storage;

namespace SessionInsights.Grains.Actors;

/// <summary>
/// One grain per PostHog session: the session-scoped view (aggregates and its latest events) that
/// <c>GET /session/{id}</c> and the dashboard read. The owning user grain is the writer and keeps it
/// current; on activation it loads what storage has.
/// </summary>
/// <remarks>
/// The user grain tells, it does not ask, so an update can be lost (a silo died, a hand-off dropped
/// it) and an activation can miss events not committed yet. Two repairs follow from that:
/// the row says how many events the session has, and when the events held fall short of it the grain
/// reloads them from storage a moment later; and an incarnation that may have missed the tells sent
/// to its predecessor (storage already had the session, or it was woken by a read) reloads once after
/// the user grain has had time to commit, so that a lost last tell cannot leave the view stale for good.
/// Rows only move forward (<see cref="SessionRecord.IsAtLeastAsFreshAs"/>): copies arrive from
/// storage and from user grain incarnations in no guaranteed order.
/// </remarks>
public sealed class SessionGrain : ReceiveActor, IWithStash, IWithTimers
{
    private const int EventsKept = 200;
    private const int MaxReloadsPerGap = 5;
    private static readonly TimeSpan ReloadDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SettleMargin = TimeSpan.FromSeconds(2);
    private readonly string _sessionId;
    private readonly GrainServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<EnrichedEvent> _events = [];
    private readonly HashSet<Guid> _eventIds = [];
    private SessionRecord? _row;
    private readonly SequenceGaps _gaps = new(EventsKept);
    private int _reloads;
    private bool? _wokenByTell;

    public SessionGrain(string sessionId, GrainServices services)
    {
        _sessionId = sessionId;
        _services = services;
        Receive<Loaded>(l =>
        {
            TakeLoaded(l);
            BecomeActive(settle: l.Row is not null || _wokenByTell != true);
        });
        Receive<Status.Failure>(f =>
        {
            // Storage unavailable: serve what the user grain sends; older events appear on a later activation.
            _log.Warning(f.Cause, "session {0}: load failed", _sessionId);
            BecomeActive(settle: true);
        });
        Receive<StopGrain>(_ => Context.Stop(Self));
        ReceiveAny(m =>
        {
            _wokenByTell ??= m is SessionEventsApplied;
            Stash.Stash();
        });
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string sessionId, GrainServices services) =>
        Akka.Actor.Props.Create(() => new SessionGrain(sessionId, services));

    protected override void PreStart()
    {
        _services.Metrics.SessionActivated();
        LoadAsync().PipeTo(Self);
    }

    protected override void PostStop() => _services.Metrics.SessionDeactivated();

    /// <summary>Times every message for the dashboard's grain methods.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            var handled = base.AroundReceive(receive, message);
            failed = false;
            return handled;
        }
        finally
        {
            _services.Metrics.Methods.Sessions.Record(message.GetType(), started, failed);
        }
    }

    private async Task<Loaded> LoadAsync()
    {
        var row = _services.Store.LoadSessionAsync(_sessionId);
        var events = _services.Store.LoadSessionEventsAsync(_sessionId, EventsKept);
        return new Loaded(await row, await events);
    }

    private void BecomeActive(bool settle)
    {
        Become(() =>
        {
            Receive<SessionEventsApplied>(m =>
            {
                TakeRow(m.Row);
                AddEvents(m.Events);
                _gaps.Arrived(m.Events.Select(e => e.SequenceNumber));
                RepairIfIncomplete();
            });
            Receive<Reload>(_ => LoadAsync().PipeTo(Self));
            Receive<Loaded>(l =>
            {
                TakeLoaded(l);
                RepairIfIncomplete();
            });
            Receive<Status.Failure>(f => _log.Warning(f.Cause, "session {0}: reload failed", _sessionId));
            Receive<GetSession>(q => Sender.Tell(SessionView.Render(_row, _events, q.EventsLimit)));
            Receive<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(StopGrain.Instance)));
            Receive<StopGrain>(_ => Context.Stop(Self));
        });
        SetReceiveTimeout(_services.Settings.PassivateAfter);
        Stash.UnstashAll();
        // A brand-new session is woken by its first tell and has missed nothing; any other
        // activation settles with one reload once pending commits have landed.
        if (settle)
        {
            Timers.StartSingleTimer("settle", Reload.Instance, _services.Settings.FlushDelay + SettleMargin);
        }
        RepairIfIncomplete();
    }

    private void TakeLoaded(Loaded loaded)
    {
        TakeRow(loaded.Row);
        AddEvents(loaded.Events);
        _gaps.Loaded(loaded.Events.Select(e => e.SequenceNumber));
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
        var complete = !_gaps.Any && _gaps.Highest >= row.EventCount && _events.Count >= Math.Min(row.EventCount, EventsKept);
        if (complete)
        {
            _reloads = 0;
            return;
        }
        if (_reloads < MaxReloadsPerGap && !Timers.IsTimerActive("reload"))
        {
            _reloads++;
            Timers.StartSingleTimer("reload", Reload.Instance, ReloadDelay);
        }
    }
    private void AddEvents(IReadOnlyList<EnrichedEvent> events)
    {
        var before = _events.Count;
        foreach (var e in events)
        {
            if (_eventIds.Add(e.EnrichedEventId))
            {
                _events.Add(e);
            }
        }
        // Events nearly always arrive in order: sort only when an appended one is out of place
        // (a full sort per message was visible in a /batch profile).
        for (var i = Math.Max(1, before); i < _events.Count; i++)
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
            }
            _events.RemoveRange(0, _events.Count - EventsKept);
        }
    }

    private sealed record Loaded(SessionRecord? Row, IReadOnlyList<EnrichedEvent> Events);

    private sealed class Reload
    {
        public static readonly Reload Instance = new();
    }
}
