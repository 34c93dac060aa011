using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using SessionInsights.Grains.Abstractions.Events;
using SessionInsights.Grains.Abstractions.Messages;
using SessionInsights.Grains.Enrichment;
using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Persistence;
using SessionInsights.Grains.Sessions;
using SessionInsights.Grains.Storage;
using SessionInsights.Grains.Users;

namespace SessionInsights.Grains.Actors;

/// <summary>
/// One grain per user: the single writer of the user's event stream. It applies events to
/// <see cref="UserActivity"/>, answers context reads from memory, and commits snapshot, enriched
/// rows and raw-event status together, so "snapshot + PENDING raw events" always rebuilds it exactly.
/// </summary>
public sealed class UserGrain : ReceiveActor, IWithStash, IWithTimers
{
    private readonly string _userId;
    private readonly GrainServices _services;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CommitBuffer _buffer = new();
    private UserActivity _activity = null!;
    private ReplayedEvents _replayed = new();
    private long _version;
    private UserCommit? _inFlight;
    private bool _recoveryWanted;
    private bool _recoveryLoading;
    private bool _stopping;
    private DateTimeOffset? _idleCheckAt;

    public UserGrain(string userId, GrainServices services)
    {
        _userId = userId;
        _services = services;
        Activating();
    }

    public IStash Stash { get; set; } = null!;
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string userId, GrainServices services) =>
        Akka.Actor.Props.Create(() => new UserGrain(userId, services));

    private DateTimeOffset Now => _services.Time.GetUtcNow();

    protected override void PreStart()
    {
        _services.Metrics.UserActivated();
        _services.Metrics.Activations.Add(1);
        LoadAsync().PipeTo(Self, failure: ex => new LoadFailed(ex));
    }

    protected override void PostStop()
    {
        _services.Metrics.UserDeactivated();
        _services.Metrics.UnsavedChanged(-Unsaved);
    }

    /// <summary>Events applied here and not yet committed, in the buffer or the commit in flight.</summary>
    private int Unsaved => _buffer.EventCount + (_inFlight is { } c ? c.Done.Count + c.Failed.Count : 0);

    /// <summary>Times every message for the dashboard's grain methods and tracks the unsaved backlog.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        var started = Stopwatch.GetTimestamp();
        var unsaved = Unsaved;
        var failed = true;
        try
        {
            var handled = base.AroundReceive(receive, message);
            failed = false;
            return handled;
        }
        finally
        {
            _services.Metrics.Methods.Users.Record(message.GetType(), started, failed);
            _services.Metrics.UnsavedChanged(Unsaved - unsaved);
        }
    }

    private async Task<Loaded> LoadAsync()
    {
        var snapshot = _services.Store.LoadUserAsync(_userId);
        var pending = _services.RawLog.ReadPendingAsync(_userId);
        var recent = _services.Store.LoadRecentEventsAsync(_userId, _services.Options.RecentEventsCapacity, since: null);
        return new Loaded(await snapshot, await pending, await recent);
    }

    private void Activating()
    {
        Receive<Loaded>(loaded =>
        {
            if (loaded.Snapshot is { } snap)
            {
                var (activity, replayed) = UserGrainState.Read(snap.State);
                _activity = UserActivity.FromSnapshot(_userId, activity, loaded.Recent, _services.Options);
                _replayed = replayed;
                _version = snap.Version;
            }
            else
            {
                _activity = new UserActivity(_userId, _services.Options);
            }
            Replay(loaded.Pending);
            CloseIdleSessions();
            Become(Active);
            SetReceiveTimeout(_services.Settings.PassivateAfter);
            Stash.UnstashAll();
        });
        Receive<LoadFailed>(f =>
        {
            // Storage is down: stay unloaded and try again; callers' asks time out meanwhile.
            _log.Warning(f.Error, "user {0}: loading state failed, retrying", _userId);
            Timers.StartSingleTimer("load", RetryLoad.Instance, _services.Settings.RetryDelay);
        });
        Receive<RetryLoad>(_ => LoadAsync().PipeTo(Self, failure: ex => new LoadFailed(ex)));
        Receive<StopGrain>(_ => Context.Stop(Self));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Active()
    {
        Receive<DeliverEvents>(d =>
        {
            var applied = new List<AppliedEvent>(d.Events.Count);
            foreach (var stored in d.Events)
            {
                if (_replayed.TryConsume(stored.Event.Uuid))
                {
                    _services.Metrics.DuplicatesSkipped.Add(1);
                    continue;
                }
                Apply(stored, applied);
            }
            AfterApply(applied);
        });
        Receive<GetUserContext>(Answer);
        Receive<RecoverPending>(_ => StartRecovery());
        Receive<PendingLoaded>(p =>
        {
            _recoveryLoading = false;
            Replay(p.Events);
            RequestFlush();
        });
        Receive<RecoveryFailed>(f =>
        {
            _recoveryLoading = false;
            _log.Warning(f.Error, "user {0}: reading pending events failed", _userId);
            RequestFlush();
        });
        Receive<Flush>(_ => StartFlush());
        Receive<FlushDone>(OnFlushDone);
        Receive<FlushFailed>(f =>
        {
            _services.Metrics.CommitFailures.Add(1);
            _log.Warning(f.Error, "user {0}: commit failed, retrying", _userId);
            Timers.StartSingleTimer("retry", RetryFlush.Instance, _services.Settings.RetryDelay);
        });
        Receive<RetryFlush>(_ => SubmitInFlight());
        Receive<IdleCheck>(_ =>
        {
            _idleCheckAt = null;
            CloseIdleSessions();
        });
        Receive<ReceiveTimeout>(_ =>
        {
            if (_buffer.IsEmpty && _inFlight is null && !_recoveryLoading)
            {
                Context.Parent.Tell(new Passivate(StopGrain.Instance));
            }
            else
            {
                RequestFlush();
            }
        });
        Receive<StopGrain>(_ =>
        {
            // Hand-off or shutdown: what is applied but not committed is still PENDING in the raw
            // log, and the next incarnation replays it, so only a commit already in flight is
            // waited for (its version must land before the next incarnation loads). Flushing here
            // would hold the shard's hand-off, and every message buffered for it, behind storage.
            _stopping = true;
            StopIfQuiet();
        });
    }

    private void Apply(StoredEvent stored, List<AppliedEvent>? applied)
    {
        try
        {
            var result = _activity.Apply(stored.Event, Now);
            _buffer.Applied(stored.Event.Uuid, result);
            applied?.Add(result);
            _services.Metrics.EventsApplied.Add(1);
            if (result.Tracked is { NewlyMatched: not 0 } session)
            {
                RecordFirings(session);
            }
        }
        catch (Exception ex)
        {
            // A domain rejection must not block the user's other events: record it and go on.
            _log.Warning(ex, "user {0}: event {1} failed", _userId, stored.Event.Uuid);
            _buffer.Failed(stored.Event.Uuid, $"{ex.GetType().Name}: {ex.Message}");
            _services.Metrics.EventsFailed.Add(1);
        }
    }

    private void RecordFirings(TrackedSession session)
    {
        var rules = session.Patterns.Rules.Rules;
        var mask = session.NewlyMatched;
        for (var i = 0; i < rules.Count && i < 64; i++)
        {
            if ((mask & (1UL << i)) != 0)
            {
                _services.Metrics.Patterns.Fired(rules[i].Code, _userId, Now);
            }
        }
    }

    private void Replay(IReadOnlyList<StoredEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        var applied = new List<AppliedEvent>(events.Count);
        var now = Now;
        foreach (var stored in events)
        {
            // Applied here but not yet committed: the row is still PENDING, yet already counted.
            if (_buffer.Contains(stored.Event.Uuid))
            {
                continue;
            }
            _replayed.Add(stored.Event.Uuid, now);
            Apply(stored, applied);
        }
        AfterApply(applied);
    }

    private void AfterApply(List<AppliedEvent> applied)
    {
        if (applied.Count > 0)
        {
            NotifySessions(applied);
            ScheduleIdleCheck();
        }
        RequestFlush();
    }

    private void NotifySessions(List<AppliedEvent> applied)
    {
        if (_services.SessionRegion.IsNobody())
        {
            return;
        }
        // One message per session per batch keeps the session grains' traffic proportional to batches.
        for (var i = 0; i < applied.Count; i++)
        {
            if (applied[i].Tracked is not { } session)
            {
                continue;
            }
            var events = new List<EnrichedEvent> { applied[i].Event };
            while (i + 1 < applied.Count && ReferenceEquals(applied[i + 1].Tracked, session))
            {
                i++;
                events.Add(applied[i].Event);
            }
            _services.SessionRegion.Tell(new SessionEventsApplied(session.SessionId, session.ToRecord(), events));
        }
    }

    private void Answer(GetUserContext q)
    {
        TimeSpan? lookback = q.LookbackHours is { } h ? TimeSpan.FromHours(h) : null;
        if (_activity.CanServeFromMemory(q.RecentEventsLimit))
        {
            Sender.Tell(new UserContextReply(_activity.RenderContext(q.RecentEventsLimit, lookback, Now)));
            return;
        }
        // Larger than what memory keeps: storage has the older events, memory the not yet committed ones.
        var sender = Sender;
        DateTimeOffset? since = lookback is { } lb ? Now - lb : null;
        // The ring may have dropped events that are not committed yet (e.g. a long replay after a
        // failover): those are in the commit buffer or the commit in flight, and storage lacks them.
        var memory = new List<EnrichedEvent>(_activity.RecentEvents(q.RecentEventsLimit, lookback, Now));
        memory.AddRange(_buffer.Uncommitted.Where(e => since is null || e.Timestamp >= since));
        if (_inFlight is { } inFlight)
        {
            memory.AddRange(inFlight.Enriched.Where(e => since is null || e.Timestamp >= since));
        }
        var activity = _activity;
        _services.Store.LoadRecentEventsAsync(_userId, q.RecentEventsLimit, since)
            .ContinueWith(t => t.IsCompletedSuccessfully
                ? (object)new UserContextReply(activity.RenderContext(RecentEventsMerge.Merge(t.Result, memory, q.RecentEventsLimit)))
                : new Status.Failure(t.Exception?.GetBaseException() ?? new TaskCanceledException()))
            .PipeTo(sender);
    }

    private void CloseIdleSessions()
    {
        var closed = _activity.CloseIdleSessions(Now);
        if (closed.Count == 0)
        {
            ScheduleIdleCheck();
            return;
        }
        foreach (var row in closed)
        {
            _buffer.SessionChanged(row);
            if (!_services.SessionRegion.IsNobody())
            {
                _services.SessionRegion.Tell(new SessionEventsApplied(row.SessionId, row, []));
            }
        }
        ScheduleIdleCheck();
        RequestFlush();
    }

    private void ScheduleIdleCheck()
    {
        var now = Now;
        if (_activity.NextIdleCheck(now) is not { } due || (_idleCheckAt is { } planned && planned <= due))
        {
            return;
        }
        _idleCheckAt = due;
        var delay = due - now;
        Timers.StartSingleTimer("idle", IdleCheck.Instance, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
    }

    private void RequestFlush()
    {
        if (_stopping)
        {
            return;
        }
        if (!_buffer.IsEmpty && _inFlight is null && !Timers.IsTimerActive("flush"))
        {
            Timers.StartSingleTimer("flush", Flush.Instance, _services.Settings.FlushDelay);
        }
    }

    private void StartFlush()
    {
        // One commit in flight per grain keeps versions linear; recovery reads must not race a commit.
        if (_inFlight is not null || _recoveryLoading || _buffer.IsEmpty)
        {
            return;
        }
        _replayed.Prune(Now);
        var state = UserGrainState.Write(_activity.ToSnapshot(), _replayed);
        _inFlight = _buffer.Drain(_userId, _version, state);
        SubmitInFlight();
    }

    private void SubmitInFlight()
    {
        if (_inFlight is null)
        {
            return;
        }
        _services.Writer.CommitAsync(_inFlight).PipeTo(Self, success: o => new FlushDone(o), failure: ex => new FlushFailed(ex));
    }

    private void OnFlushDone(FlushDone done)
    {
        if (done.Outcome == CommitOutcome.StaleVersion)
        {
            // Another incarnation wrote since we loaded (e.g. after a partition): it owns the user now.
            _log.Warning("user {0}: stale version {1}, stopping this incarnation", _userId, _version);
            Context.Stop(Self);
            return;
        }
        _services.Metrics.Commits.Add(1);
        _version++;
        _inFlight = null;
        if (_recoveryWanted)
        {
            _recoveryWanted = false;
            StartRecovery();
        }
        RequestFlush();
        StopIfQuiet();
    }

    private void StartRecovery()
    {
        if (_inFlight is not null || _recoveryLoading)
        {
            _recoveryWanted = true;
            return;
        }
        _recoveryLoading = true;
        _services.RawLog.ReadPendingAsync(_userId)
            .PipeTo(Self, success: e => new PendingLoaded(e), failure: ex => new RecoveryFailed(ex));
    }

    private void StopIfQuiet()
    {
        if (_stopping && _inFlight is null)
        {
            Context.Stop(Self);
        }
    }

    private sealed record Loaded(UserSnapshot? Snapshot, IReadOnlyList<StoredEvent> Pending, IReadOnlyList<EnrichedEvent> Recent);

    private sealed record LoadFailed(Exception Error);

    private sealed record PendingLoaded(IReadOnlyList<StoredEvent> Events);

    private sealed record RecoveryFailed(Exception Error);

    private sealed record FlushDone(CommitOutcome Outcome);

    private sealed record FlushFailed(Exception Error);

    private sealed class RetryLoad
    {
        public static readonly RetryLoad Instance = new();
    }

    private sealed class RetryFlush
    {
        public static readonly RetryFlush Instance = new();
    }

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }

    private sealed class IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }
}
