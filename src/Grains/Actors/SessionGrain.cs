using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using SessionInsights.Grains.Abstractions.Messages;
using SessionInsights.Grains.Enrichment;
using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Storage;

namespace SessionInsights.Grains.Actors;

/// <summary>
/// One grain per PostHog session: the session-scoped view (aggregates and its latest events) that
/// <c>GET /session/{id}</c> and the dashboard read. The owning user grain is the writer and keeps it
/// current; on activation it loads what storage has.
/// </summary>
public sealed class SessionGrain : ReceiveActor, IWithStash
{
    private const int EventsKept = 200;
    private readonly string _sessionId;
    private readonly GrainServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<EnrichedEvent> _events = [];
    private readonly HashSet<Guid> _eventIds = [];
    private SessionRecord? _row;

    public SessionGrain(string sessionId, GrainServices services)
    {
        _sessionId = sessionId;
        _services = services;
        Receive<Loaded>(l =>
        {
            _row ??= l.Row;
            AddEvents(l.Events);
            BecomeActive();
        });
        Receive<Status.Failure>(f =>
        {
            // Storage unavailable: serve what the user grain sends; older events appear on a later activation.
            _log.Warning(f.Cause, "session {0}: load failed", _sessionId);
            BecomeActive();
        });
        Receive<StopGrain>(_ => Context.Stop(Self));
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(string sessionId, GrainServices services) =>
        Akka.Actor.Props.Create(() => new SessionGrain(sessionId, services));

    protected override void PreStart()
    {
        _services.Metrics.SessionActivated();
        LoadAsync().PipeTo(Self);
    }

    protected override void PostStop() => _services.Metrics.SessionDeactivated();

    private async Task<Loaded> LoadAsync()
    {
        var row = _services.Store.LoadSessionAsync(_sessionId);
        var events = _services.Store.LoadSessionEventsAsync(_sessionId, EventsKept);
        return new Loaded(await row, await events);
    }

    private void BecomeActive()
    {
        Become(() =>
        {
            Receive<SessionEventsApplied>(m =>
            {
                _row = m.Row;
                AddEvents(m.Events);
            });
            Receive<GetSession>(q => Sender.Tell(SessionView.Render(_row, _events, q.EventsLimit)));
            Receive<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(StopGrain.Instance)));
            Receive<StopGrain>(_ => Context.Stop(Self));
        });
        SetReceiveTimeout(_services.Settings.PassivateAfter);
        Stash.UnstashAll();
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
}
