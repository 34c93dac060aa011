using System.Text.Json;
using SessionInsights.Domain.Context;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Sessions;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Domain.Users;

/// <summary>
/// Everything known about one user, updated one event at a time: the user's open sessions (aggregates
/// and pattern state), the recent events ring and the latest session. Pure: time comes in as arguments.
/// </summary>
public sealed partial class UserActivity
{
    /// <summary>
    /// Closed sessions kept besides the latest one, so that a late event (PostHog retries and batches)
    /// still reopens its session with the right counts instead of starting it over.
    /// </summary>
    internal const int ClosedSessionsKept = 4;

    /// <summary>Ids of sessions dropped from memory that are still recognised (see <see cref="Apply"/>).</summary>
    internal const int ForgottenSessionsKept = 32;

    private InsightsOptions _options;
    private readonly Func<PostHogEvent, string?, EnrichedEvent> _enrich;
    private readonly Dictionary<string, TrackedSession> _sessions = new(StringComparer.Ordinal);
    private readonly List<string> _forgotten = [];
    private RecentEventRing _recent;
    private TrackedSession? _latest;

    // The session of the previous event: consecutive events of one session skip the dictionary.
    private TrackedSession? _previous;

    public UserActivity(string userId, InsightsOptions options)
        : this(userId, options, new EventEnricher(options.Enrichment).Enrich)
    {
    }

    /// <summary>With a stand-in for the enricher, so the session logic can be tested on its own.</summary>
    internal UserActivity(string userId, InsightsOptions options, Func<PostHogEvent, string?, EnrichedEvent> enrich)
    {
        UserId = userId;
        _options = options;
        _enrich = enrich;
        _recent = new RecentEventRing(options.RecentEventsCapacity);
    }

    public string UserId { get; }

    /// <summary>
    /// When set (a live stream may want them), patterns that move from pending to confirmed are added
    /// here as stream entries; null costs nothing.
    /// </summary>
    public List<Live.StreamEntry>? Confirmations { get; set; }

    /// <summary>
    /// When set (webhook endpoints are configured), patterns that move from pending to confirmed are
    /// added here too, for <c>pattern.confirmed</c> outbox rows; null costs nothing.
    /// </summary>
    public List<PatternConfirmation>? ConfirmedPatterns { get; set; }

    /// <summary>
    /// Applies one event: resolves its session (its <c>$session_id</c>, else the user's active session),
    /// enriches it, assigns its sequence number and updates aggregates, patterns and recent events.
    /// </summary>
    /// <remarks>
    /// An event for a session already dropped from memory keeps its session id but gets no sequence
    /// number and no row: rebuilding the session from that one event would overwrite its stored row
    /// with wrong counts.
    /// </remarks>
    public AppliedEvent Apply(PostHogEvent e, DateTimeOffset now)
    {
        if (!string.Equals(e.DistinctId, UserId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Event {e.Uuid} belongs to user '{e.DistinctId}', not '{UserId}'.", nameof(e));
        }

        var sessionId = e.SessionId;
        TrackedSession? session;
        if (sessionId is null)
        {
            session = FindActiveSession(e.Timestamp, now);
            sessionId = session?.SessionId;
        }
        else if (_previous is { } p && string.Equals(p.SessionId, sessionId, StringComparison.Ordinal))
        {
            session = p;
        }
        else
        {
            _sessions.TryGetValue(sessionId, out session);
        }

        // Enrich before creating a session, so that an event that fails enrichment leaves no trace.
        var enriched = _enrich(e, sessionId);
        if (session is null && sessionId is not null && !_forgotten.Contains(sessionId))
        {
            session = new TrackedSession(sessionId, UserId, _options.Rules);
            _sessions.Add(sessionId, session);
        }

        TrackedSession? applied = null;
        if (session is not null)
        {
            enriched = session.Apply(enriched, now);
            CollectConfirmations(session, now);
            if (_latest is null || session.Aggregate.LastActivityAt > _latest.Aggregate.LastActivityAt)
            {
                _latest = session;
            }
            applied = session;
            _previous = session;
        }
        _recent.Add(enriched);
        return new AppliedEvent(enriched, applied);
    }

    /// <summary>Closes sessions idle for the configured timeout; returns the rows of sessions that changed.</summary>
    public IReadOnlyList<SessionRecord> CloseIdleSessions(DateTimeOffset now)
    {
        List<SessionRecord>? rows = null;
        foreach (var session in _sessions.Values)
        {
            if (session.CloseIfIdle(now, _options.SessionIdleTimeout))
            {
                CollectConfirmations(session, now);
                (rows ??= []).Add(session.ToRecord());
            }
        }
        if (rows is null)
        {
            return [];
        }
        ForgetOldClosedSessions();
        return rows;
    }

    /// <summary>When the next idle close is due (never before <paramref name="now"/>), or null when no session is open.</summary>
    public DateTimeOffset? NextIdleCheck(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var session in _sessions.Values)
        {
            if (session.Aggregate.IsActive)
            {
                var due = session.Aggregate.IdleDeadline(_options.SessionIdleTimeout);
                if (next is null || due < next)
                {
                    next = due;
                }
            }
        }
        return next is { } n && n < now ? now : next;
    }

    /// <summary>The pattern rules the user's sessions are evaluated with.</summary>
    public Patterns.PatternRuleSet Rules => _options.Rules;

    /// <summary>
    /// Switches to other options (a new version of the project's rules) between two events: every
    /// session moves at once (<see cref="TrackedSession.UseRules"/>). Returns the rows of the sessions
    /// whose patterns changed, to be stored.
    /// </summary>
    public IReadOnlyList<SessionRecord> UseOptions(InsightsOptions options)
    {
        var rulesChanged = !ReferenceEquals(options.Rules, _options.Rules);
        _options = options;
        if (!rulesChanged)
        {
            return [];
        }
        List<SessionRecord>? rows = null;
        foreach (var session in _sessions.Values)
        {
            if (session.UseRules(options.Rules))
            {
                (rows ??= []).Add(session.ToRecord());
            }
        }
        return rows ?? (IReadOnlyList<SessionRecord>)[];
    }

    /// <summary>The SPEC §7 context, as UTF-8 JSON, from memory; patterns pending at <paramref name="now"/> say so, or are left out.</summary>
    /// <param name="previousSessions">How many sessions before the latest to list, from memory (see <see cref="CanServePreviousSessionsFromMemory"/>).</param>
    public byte[] RenderContext(int limit, TimeSpan? lookback, DateTimeOffset now, bool confirmedOnly = false, int previousSessions = SessionHistory.Default)
    {
        DateTimeOffset? since = lookback is { } l ? EventTime.Subtract(now, l) : null;
        return ContextRenderer.Render(UserId, _recent.Select(Math.Max(0, limit), since), _latest, now, confirmedOnly, PreviousSessions(previousSessions, now));
    }

    /// <summary>
    /// Confirms the patterns whose negative window has passed by <paramref name="now"/>; returns the rows
    /// of the sessions whose statuses changed, to be stored like any other row change.
    /// </summary>
    public IReadOnlyList<SessionRecord> ConfirmPatterns(DateTimeOffset now)
    {
        List<SessionRecord>? rows = null;
        foreach (var session in _sessions.Values)
        {
            if (session.UpdatePatternStatus(now))
            {
                CollectConfirmations(session, now);
                (rows ??= []).Add(session.ToRecord());
            }
        }
        return rows ?? (IReadOnlyList<SessionRecord>)[];
    }

    /// <summary>Right after a status update of <paramref name="session"/>: the patterns it just confirmed, for a live stream and webhooks.</summary>
    private void CollectConfirmations(TrackedSession session, DateTimeOffset now)
    {
        if ((Confirmations is null && ConfirmedPatterns is null) || session.Patterns.JustConfirmed == 0)
        {
            return;
        }
        var state = session.Patterns;
        var rules = state.Rules.Rules;
        for (var i = 0; i < rules.Count && i < 64; i++)
        {
            if ((state.JustConfirmed & (1UL << i)) != 0 && state.DeadlineTicks(i) is { } due)
            {
                var windowEnd = new DateTimeOffset(due, TimeSpan.Zero);
                Confirmations?.Add(Live.StreamEntry.Confirmed(session.SessionId, rules[i], windowEnd, now));
                ConfirmedPatterns?.Add(new PatternConfirmation(session, i, windowEnd));
            }
        }
    }

    /// <summary>When the earliest pending pattern of any kept session is due to be confirmed, or null.</summary>
    public DateTimeOffset? NextPatternConfirmation()
    {
        long? next = null;
        foreach (var session in _sessions.Values)
        {
            if (session.Patterns.NextConfirmationTicks() is { } due && (next is null || due < next))
            {
                next = due;
            }
        }
        return next is { } n ? new DateTimeOffset(n, TimeSpan.Zero) : null;
    }

    /// <summary>Whether <see cref="RenderContext(int, TimeSpan?, DateTimeOffset, bool, int)"/> can answer a read of this size from memory alone.</summary>
    /// <remarks>
    /// The ring holds the latest events by timestamp and anything that fell out is older than all of
    /// them, so a lookback filter cannot make storage hold a later event: the limit alone decides.
    /// </remarks>
    public bool CanServeFromMemory(int limit) => limit <= _recent.Count || !_recent.HasEvicted;

    /// <summary>The SPEC §7 context with the recent events given (e.g. loaded from storage).</summary>
    /// <param name="previous">The previous sessions to list (e.g. merged with storage); null: the default number from memory.</param>
    public byte[] RenderContext(IReadOnlyList<EnrichedEvent> recentOldestFirst, DateTimeOffset? now = null, bool confirmedOnly = false, IReadOnlyList<SessionRecord>? previous = null) =>
        ContextRenderer.Render(UserId, recentOldestFirst, _latest, now, confirmedOnly, previous ?? PreviousSessions(SessionHistory.Default, now));

    /// <summary>The in-memory recent events (oldest first) that a context read would show.</summary>
    public IReadOnlyList<EnrichedEvent> RecentEvents(int limit, TimeSpan? lookback, DateTimeOffset now) =>
        _recent.Select(Math.Max(0, limit), lookback is { } l ? EventTime.Subtract(now, l) : null);

    /// <summary>Compact state without the recent events ring (that is rebuilt from storage).</summary>
    public byte[] ToSnapshot()
    {
        var sessions = new List<SessionSnapshot>(_sessions.Count);
        foreach (var session in _sessions.Values)
        {
            sessions.Add(session.ToSnapshot());
        }
        var snapshot = new UserActivitySnapshot
        {
            Sessions = sessions,
            LatestSessionId = _latest?.SessionId,
            ForgottenSessionIds = _forgotten.Count > 0 ? [.. _forgotten] : null,
        };
        return JsonSerializer.SerializeToUtf8Bytes(snapshot, SnapshotJsonContext.Default.UserActivitySnapshot);
    }

    /// <summary>
    /// Restores a user from <see cref="ToSnapshot"/> and the user's latest stored events (up to
    /// <see cref="InsightsOptions.RecentEventsCapacity"/>, by timestamp then sequence number). A full list
    /// is taken to mean storage may hold older ones, so larger reads go to storage.
    /// </summary>
    public static UserActivity FromSnapshot(string userId, byte[] snapshot, IReadOnlyList<EnrichedEvent> recentOldestFirst, InsightsOptions options) =>
        Restore(new UserActivity(userId, options), snapshot, recentOldestFirst);

    internal static UserActivity FromSnapshot(
        string userId,
        byte[] snapshot,
        IReadOnlyList<EnrichedEvent> recentOldestFirst,
        InsightsOptions options,
        Func<PostHogEvent, string?, EnrichedEvent> enrich) =>
        Restore(new UserActivity(userId, options, enrich), snapshot, recentOldestFirst);

    private static UserActivity Restore(UserActivity user, byte[] bytes, IReadOnlyList<EnrichedEvent> recentOldestFirst)
    {
        var snapshot = JsonSerializer.Deserialize(bytes, SnapshotJsonContext.Default.UserActivitySnapshot)
            ?? throw new JsonException($"Snapshot of user '{user.UserId}' is empty.");
        if (snapshot.Version != UserActivitySnapshot.CurrentVersion)
        {
            throw new JsonException($"Snapshot of user '{user.UserId}' has format version {snapshot.Version}; this build reads {UserActivitySnapshot.CurrentVersion}.");
        }
        foreach (var s in snapshot.Sessions ?? [])
        {
            user._sessions.Add(s.SessionId, TrackedSession.FromSnapshot(user.UserId, s, user._options.Rules));
        }
        if (snapshot.LatestSessionId is { } latest && user._sessions.TryGetValue(latest, out var session))
        {
            user._latest = session;
        }
        user._forgotten.AddRange(snapshot.ForgottenSessionIds ?? []);
        var capacity = user._options.RecentEventsCapacity;
        user._recent = RecentEventRing.Restore(capacity, recentOldestFirst, hasEvicted: recentOldestFirst.Count >= capacity);
        return user;
    }

    /// <summary>
    /// The open session an event without <c>$session_id</c> belongs to: the open session with the latest
    /// activity, if that activity is within the idle timeout of the event's time or of now.
    /// </summary>
    private TrackedSession? FindActiveSession(DateTimeOffset eventTime, DateTimeOffset now)
    {
        TrackedSession? best = null;
        foreach (var session in _sessions.Values)
        {
            if (session.Aggregate.IsActive && (best is null || IsLater(session, best)))
            {
                best = session;
            }
        }
        if (best is null)
        {
            return null;
        }
        var last = best.Aggregate.LastActivityAt;
        var timeout = _options.SessionIdleTimeout;
        return (last - eventTime).Duration() <= timeout || (now - last).Duration() <= timeout ? best : null;
    }

    /// <summary>Keeps the latest session and the <see cref="ClosedSessionsKept"/> most recent closed ones.</summary>
    private void ForgetOldClosedSessions()
    {
        List<TrackedSession>? closed = null;
        foreach (var session in _sessions.Values)
        {
            if (!session.Aggregate.IsActive && session != _latest)
            {
                (closed ??= []).Add(session);
            }
        }
        if (closed is null || closed.Count <= ClosedSessionsKept)
        {
            return;
        }
        closed.Sort((a, b) => IsLater(a, b) ? -1 : IsLater(b, a) ? 1 : 0);
        for (var i = ClosedSessionsKept; i < closed.Count; i++)
        {
            _sessions.Remove(closed[i].SessionId);
            if (_previous == closed[i])
            {
                _previous = null;
            }
            if (_forgotten.Count == ForgottenSessionsKept)
            {
                _forgotten.RemoveAt(0);
            }
            _forgotten.Add(closed[i].SessionId);
        }
    }

    // Ties broken by id so the choice does not depend on dictionary order, which a snapshot does not keep.
    private static bool IsLater(TrackedSession a, TrackedSession b) =>
        a.Aggregate.LastActivityAt != b.Aggregate.LastActivityAt
            ? a.Aggregate.LastActivityAt > b.Aggregate.LastActivityAt
            : string.CompareOrdinal(a.SessionId, b.SessionId) > 0;
}

/// <summary>The result of applying one event: the enriched event and the session it joined, if any.</summary>
public sealed class AppliedEvent
{
    internal AppliedEvent(EnrichedEvent @event, TrackedSession? tracked)
    {
        Event = @event;
        Tracked = tracked;
    }

    public EnrichedEvent Event { get; }

    internal TrackedSession? Tracked { get; }

    /// <summary>
    /// The session's row as of now. Built on demand: a grain needs one row per session per commit,
    /// not one per event (building it formats the summary and the patterns).
    /// </summary>
    public SessionRecord? Session => Tracked?.ToRecord();

    /// <summary>The session the event joined, if any.</summary>
    public string? SessionId => Tracked?.SessionId;

    /// <summary>Codes of the pattern rules this event made match for the first time in its session.</summary>
    public IReadOnlyList<string> NewlyMatchedRules()
    {
        if (Tracked is not { NewlyMatched: not 0 } session)
        {
            return [];
        }
        var rules = session.Patterns.Rules.Rules;
        var codes = new List<string>();
        for (var i = 0; i < rules.Count && i < 64; i++)
        {
            if ((session.NewlyMatched & (1UL << i)) != 0)
            {
                codes.Add(rules[i].Code);
            }
        }
        return codes;
    }
}
