using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Storage;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.RuleSets;
using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Users;
using SessionInsights.Grains.Abstractions;
using SessionInsights.Grains.Hosting;
using SessionInsights.Grains.Persistence;

namespace SessionInsights.Grains.Users;

/// <summary>
/// One grain per user: the single writer of the user's event stream. It applies events to
/// <see cref="UserActivity"/>, answers context reads from memory, and commits enriched rows on an
/// interleaved timer, with the snapshot and the raw events' DONE every <c>Grains:SnapshotInterval</c>
/// (UserGrain.Snapshots.cs), so "snapshot + PENDING raw events" always rebuilds it exactly.
/// </summary>
/// <remarks>
/// Random placement, not Orleans' default (resource-optimized since 9.2, which prefers the silo that
/// received the call while loads look alike): one gateway's burst of new users landed on one silo
/// (seen in the dashboard test, 30 of 30 users on one of two silos). Users are alike, so an even
/// spread is the right default.
/// </remarks>
[RandomPlacement]
public sealed partial class UserGrain(
    [PersistentState("user", UserStateStorage.Name)] IPersistentState<UserState> state,
    GrainServices services,
    ILogger<UserGrain> log) : Grain, IUserGrain
{
    private CommitBuffer _buffer = new();
    private UserActivity _activity = null!;
    private RulesInForce _rules = null!;
    private ReplayedEvents _replayed = new();
    private UserCommit? _inFlight;
    private Task? _writing;
    private bool _recovering;
    private bool _erasing;
    private bool _recoveryWanted;
    private bool _stale;
    private bool _flushArmed;
    private DateTimeOffset? _idleCheckAt;

    private static readonly TimeSpan MaxIdleTimerDelay = TimeSpan.FromDays(1);

    private IGrainTimer _flushTimer = null!;
    private IGrainTimer _idleTimer = null!;

    private (long ProjectId, string Id)? _key;

    private long ProjectId => Key.ProjectId;

    private string UserId => Key.Id;

    /// <summary>Parsed once: the key names the project and the distinct id.</summary>
    private (long ProjectId, string Id) Key => _key ??= GrainKeys.Of(this.GetGrainId());

    private DateTimeOffset Now => services.Time.GetUtcNow();

    /// <summary>Events applied here and not yet committed, in the buffer or the commit in flight.</summary>
    private int Unsaved => _buffer.EventCount + (_inFlight is { } c ? c.EventCount : 0);

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        // Orleans has read the snapshot (UserStateStorage) and queues calls until this returns; the
        // pending and latest stored events came in the same round trip.
        var loaded = state.State.Activation ?? await services.Store.LoadUserActivationAsync(ProjectId, UserId, services.Options.RecentEventsCapacity, ct);
        state.State.Activation = null;
        _rules = await services.Rules.GetAsync(ProjectId, ct);
        if (state.State.Snapshot is { } snapshot)
        {
            var (activity, replayed) = UserGrainState.Read(snapshot);
            _activity = UserActivity.FromSnapshot(UserId, activity, ReplayOrder.RecentExceptReplayed(loaded.Recent, loaded.Pending), _rules.Options);
            _replayed = replayed;
        }
        else
        {
            _activity = new UserActivity(UserId, _rules.Options);
        }
        var timer = new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = false };
        _flushTimer = this.RegisterGrainTimer(FlushAsync, timer);
        _idleTimer = this.RegisterGrainTimer(CloseIdleSessions, timer);
        services.Metrics.UserActivated();
        StartStream();
        StartWebhooks();
        // Replayed events wait for a commit like delivered ones: count them, or the commit's
        // decrement drives the persistence backlog below zero.
        Replay(ReplayOrder.Arrange(loaded.Pending));
        services.Metrics.UnsavedChanged(Unsaved);
        await CloseIdleSessions();
        await ConfirmPatterns();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        // The commit in flight must land before another activation loads; what is still only in the
        // buffer is PENDING in the raw log, so the next activation would replay it, but one last
        // commit, with the snapshot, saves that replay (and settles the events held for a snapshot).
        if (_writing is { } writing)
        {
            await writing;
        }
        if (!_stale && !_recovering && (_inFlight is not null || !_buffer.IsEmpty || _buffer.HasHeld) && !ct.IsCancellationRequested)
        {
            _snapshotWanted = true;
            await FlushAsync();
            // The one in flight, retried as it was, may have had no snapshot: one more carries it.
            if (!_stale && _inFlight is null && _buffer.HasHeld && !ct.IsCancellationRequested)
            {
                await FlushAsync();
            }
        }
        services.Metrics.UnsavedChanged(-Unsaved);
        services.Metrics.UserDeactivated();
    }

    public Task Deliver(EventBatch batch)
    {
        UseCurrentRules();
        var unsaved = Unsaved;
        var applied = new List<AppliedEvent>(batch.Events.Count);
        foreach (var stored in batch.Events)
        {
            if (_replayed.TryConsume(stored.Event.Uuid))
            {
                services.Metrics.DuplicatesSkipped.Add(1);
                continue;
            }
            Apply(stored, applied);
        }
        AfterApply(applied);
        services.Metrics.UnsavedChanged(Unsaved - unsaved);
        return Task.CompletedTask;
    }

    public async Task<ContextReply> GetContext(ContextQuery query)
    {
        UseCurrentRules();
        var limit = query.RecentEventsLimit;
        TimeSpan? lookback = query.LookbackHours is { } h ? TimeSpan.FromHours(h) : null;
        var now = Now;
        // Usually done at once, from memory; else a storage read beside the events' below.
        var previous = PreviousSessionsAsync(query.PreviousSessions);
        if (_activity.CanServeFromMemory(limit))
        {
            return new ContextReply(_activity.RenderContext(_activity.RecentEvents(limit, lookback, now), now, query.ConfirmedOnly, await previous), _rules.Version);
        }
        // Larger than what memory keeps: storage has the older events; memory has the ones not
        // committed yet (the ring may have dropped some during a long replay, the buffer has them).
        DateTimeOffset? since = lookback is { } lb ? EventTime.Subtract(now, lb) : null;
        var memory = new List<EnrichedEvent>(_activity.RecentEvents(limit, lookback, now));
        memory.AddRange(_buffer.Uncommitted.Where(e => since is null || e.Timestamp >= since));
        if (_inFlight is { } inFlight)
        {
            memory.AddRange(inFlight.Enriched.Where(e => since is null || e.Timestamp >= since));
        }
        // GetContext does not interleave (IUserGrain): no delivery or recovery applies events while
        // storage is read, so the events listed and the session rendered below are one state.
        var stored = await services.Store.LoadRecentEventsAsync(ProjectId, UserId, limit, since);
        // Back on this activation's scheduler: rendering never races the grain's own updates.
        return new ContextReply(_activity.RenderContext(RecentEventsMerge.Merge(stored, memory, limit), Now, query.ConfirmedOnly, await previous), _rules.Version);
    }

    public async Task RecoverPending()
    {
        // A recovery read must not race a commit: rows in flight are still PENDING in storage.
        if (_writing is not null || _inFlight is not null || _recovering)
        {
            _recoveryWanted = true;
            return;
        }
        _recovering = true;
        try
        {
            var unsaved = Unsaved;
            // Events held for a snapshot are PENDING too: Replay skips them (cheap, no apply).
            Replay(ReplayOrder.Arrange(await services.RawLog.ReadPendingAsync(ProjectId, UserId)));
            services.Metrics.UnsavedChanged(Unsaved - unsaved);
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "user {User}: reading pending events failed", UserId);
        }
        finally
        {
            _recovering = false;
        }
        RequestFlush();
    }

    private void Apply(StoredEvent stored, List<AppliedEvent> applied)
    {
        if (stored.Attempts > 0)
        {
            services.Metrics.EventsRetried.Add(1);
        }
        try
        {
            services.Hook.BeforeApply(ProjectId, stored);
            var result = _activity.Apply(stored.Event, Now);
            _buffer.Applied(stored.Event.Uuid, result);
            applied.Add(result);
            StreamApplied(stored.Seq, result);
            services.Metrics.EventsApplied.Add(1);
            services.Metrics.RecordFirings(result, ProjectId, UserId, Now);
            RecordWebhooks(stored, result);
        }
        catch (Exception ex)
        {
            // A failure must not block the user's other events: record it (retry later, or a dead
            // letter: EventRetryPolicy) and go on.
            var failure = services.Retries.OnFailure(stored.Event.Uuid, ex, stored.Attempts);
            log.LogWarning(ex, "user {User}: event {Uuid} failed (attempt {Attempts}, {Outcome})", UserId, stored.Event.Uuid, failure.Attempts, failure.RetryAfter is { } after ? $"retry in {after}" : "dead letter");
            _buffer.Failed(failure);
            services.Metrics.EventsFailed.Add(1);
            if (failure.RetryAfter is null)
            {
                services.Metrics.EventsDeadLettered.Add(1);
            }
        }
    }

    private void Replay(IReadOnlyList<StoredEvent> events)
    {
        UseCurrentRules();
        var applied = new List<AppliedEvent>(events.Count);
        var now = Now;
        foreach (var stored in events)
        {
            // Applied here, not yet committed or committed without a snapshot: the row is still
            // PENDING, yet already counted.
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
            ScheduleConfirmation();
        }
        PushStream();
        RequestFlush();
    }

    /// <summary>One update per session per batch keeps the session grains' traffic proportional to batches.</summary>
    private void NotifySessions(List<AppliedEvent> applied)
    {
        for (var i = 0; i < applied.Count; i++)
        {
            if (applied[i].SessionId is not { } sessionId)
            {
                continue;
            }
            var first = applied[i];
            var events = new List<EnrichedEvent> { first.Event };
            while (i + 1 < applied.Count && applied[i + 1].SessionId == sessionId)
            {
                i++;
                events.Add(applied[i].Event);
            }
            // The row as of the batch's last event of this session.
            _ = GrainFactory.GetSession(ProjectId, sessionId).Apply(new SessionUpdate(applied[i].Session!, events));
        }
    }

    /// <summary>
    /// Moves to the project's latest rules when they changed: at the start of a call, so every event
    /// and every read sees one whole set. Sessions whose patterns changed are stored and told.
    /// </summary>
    private void UseCurrentRules()
    {
        if (services.Rules.Current(ProjectId) is not { } current || current.Version <= _rules.Version)
        {
            return;
        }
        _rules = current;
        StoreChangedRows(_activity.UseOptions(current.Options));
        // A replay after a crash would apply the held events under these rules: store the state they made.
        _snapshotWanted = true;
        // A new or changed rule with a negative window may have made a pattern pending.
        ScheduleConfirmation();
        RequestFlush();
    }

    /// <summary>Rows that changed without a new event (idle close, rule change, confirmation): stored at the next commit, and told to their session grains.</summary>
    private void StoreChangedRows(IReadOnlyList<SessionRecord> rows)
    {
        foreach (var row in rows)
        {
            _buffer.SessionChanged(row);
            _ = GrainFactory.GetSession(ProjectId, row.SessionId).Apply(new SessionUpdate(row, []));
        }
    }

    private Task CloseIdleSessions()
    {
        _idleCheckAt = null;
        UseCurrentRules();
        StoreChangedRows(_activity.CloseIdleSessions(Now));
        RecordConfirmations();
        PushStream();
        ScheduleIdleCheck();
        RequestFlush();
        return Task.CompletedTask;
    }

    private void ScheduleIdleCheck()
    {
        var now = Now;
        if (_activity.NextIdleCheck(now) is not { } due || (_idleCheckAt is { } planned && planned <= due))
        {
            return;
        }
        // A timer cannot wait more than about 49 days; a session whose deadline lies further ahead
        // (an event dated far in the future, stored before the time bounds) is looked at again daily.
        if (due - now > MaxIdleTimerDelay)
        {
            due = now + MaxIdleTimerDelay;
        }
        _idleCheckAt = due;
        _idleTimer.Change(due > now ? due - now : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void RequestFlush()
    {
        if (_flushArmed || _writing is not null)
        {
            return;
        }
        if (!_buffer.IsEmpty)
        {
            _flushArmed = true;
            _flushTimer.Change(services.Settings.FlushDelay, Timeout.InfiniteTimeSpan);
        }
        else if (_buffer.HasHeld)
        {
            // Nothing new: the held events' DONE waits for the snapshot's turn.
            _flushArmed = true;
            _flushTimer.Change(SnapshotDueIn, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Commits on the interleaved timer: deliveries and reads go on while storage works. One commit
    /// at a time keeps versions linear; a failed one is retried as it was.
    /// </summary>
    private Task FlushAsync()
    {
        _flushArmed = false;
        if (_writing is not null || _recovering || _stale || _erasing)
        {
            return _writing ?? Task.CompletedTask;
        }
        if (_inFlight is null)
        {
            if (_buffer.IsEmpty && !(_buffer.HasHeld && SnapshotDue))
            {
                RequestFlush();
                return Task.CompletedTask;
            }
            DrainCommit();
        }
        state.State.Commit = _inFlight;
        var write = WriteAsync();
        _writing = write.IsCompleted ? null : write;
        return write;
    }

    private async Task WriteAsync()
    {
        var commit = _inFlight!;
        try
        {
            await state.WriteStateAsync();
            services.Metrics.Commits.Add(1);
            services.Metrics.UnsavedChanged(-commit.EventCount);
            _inFlight = null;
            Committed(commit.State is not null);
        }
        catch (InconsistentStateException)
        {
            // Another activation wrote since this one loaded (after a failure): it owns the user now.
            log.LogWarning("user {User}: stale version {Version}, deactivating this activation", UserId, state.Etag);
            _stale = true;
            DeactivateOnIdle();
        }
        catch (Exception ex)
        {
            services.Metrics.CommitFailures.Add(1);
            log.LogWarning(ex, "user {User}: commit failed, retrying", UserId);
        }
        finally
        {
            state.State.Commit = null;
            _writing = null;
        }
        if (_stale)
        {
            return;
        }
        if (_inFlight is not null)
        {
            _flushArmed = true;
            _flushTimer.Change(services.Settings.RetryDelay, Timeout.InfiniteTimeSpan);
            return;
        }
        if (_recoveryWanted)
        {
            _recoveryWanted = false;
            _ = this.AsReference<IUserGrain>().RecoverPending();
        }
        RequestFlush();
    }
}
