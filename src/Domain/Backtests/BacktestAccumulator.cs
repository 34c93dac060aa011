using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Sessions;

namespace SessionInsights.Domain.Backtests;

/// <summary>
/// Replays stored events through the live incremental engine (a fresh <see cref="TrackedSession"/> per
/// session) for one rule and aggregates the outcome. Events must come grouped by user, then by session,
/// each session's events in arrival order (sequence number): then memory holds one session at a time,
/// and users are counted by watching the user id change rather than with a set of every user.
/// What grows: nothing with the number of events or users; the per-day counts are bounded by the
/// period's days and the examples by <see cref="MaxExamples"/>.
/// </summary>
public sealed class BacktestAccumulator
{
    public const int MaxExamples = 20;

    private readonly PatternRuleSet _rule;
    private readonly SortedDictionary<DateOnly, long> _perDay = [];
    private readonly List<BacktestExample> _examples = [];

    private TrackedSession? _session;
    private DateTimeOffset? _firstMatchedAt;
    private string? _user;
    private bool _userMatched;

    private long _events;
    private long _sessions;
    private long _sessionsMatched;
    private long _users;
    private long _usersMatched;

    /// <param name="rule">A set of exactly one rule, from <see cref="PatternRuleSet.FromJson"/>.</param>
    public BacktestAccumulator(PatternRuleSet rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Count != 1)
        {
            throw new ArgumentException($"A backtest replays one rule, not {rule.Count}.", nameof(rule));
        }
        _rule = rule;
    }

    /// <summary>Feeds the next event of the stream; an event without a session is counted and skipped (no rule sees it live either).</summary>
    public void Add(EnrichedEvent e)
    {
        _events++;
        if (e.SessionId is null)
        {
            return;
        }
        if (_session is null || !string.Equals(_session.SessionId, e.SessionId, StringComparison.Ordinal)
            || !string.Equals(_session.Aggregate.UserId, e.UserId, StringComparison.Ordinal))
        {
            EndSession();
            if (!string.Equals(_user, e.UserId, StringComparison.Ordinal))
            {
                EndUser();
                _user = e.UserId;
                _users++;
            }
            _session = new TrackedSession(e.SessionId, e.UserId, _rule);
            _sessions++;
        }
        // Receipt time only feeds idle close, which a replay never asks about: the event's own time will do.
        _session.Apply(e, e.Timestamp);
        if (_firstMatchedAt is null && (_session.NewlyMatched & 1) != 0)
        {
            _firstMatchedAt = e.Timestamp.ToUniversalTime();
        }
    }

    /// <summary>Closes the last session and returns the totals; the accumulator is spent afterwards.</summary>
    public BacktestResult Finish()
    {
        EndSession();
        EndUser();
        return new BacktestResult(
            _events, _sessions, _sessionsMatched, _users, _usersMatched,
            _sessions == 0 ? 0 : (double)_sessionsMatched / _sessions,
            [.. _perDay.Select(d => new BacktestDay(d.Key, d.Value))],
            [.. _examples]);
    }

    /// <summary>
    /// A session counts as matched when the rule holds after its last event in the period, as the live
    /// row would show it (a negative filter can undo a match); it is dated by its first match.
    /// </summary>
    private void EndSession()
    {
        var session = _session;
        _session = null;
        var firstMatch = _firstMatchedAt;
        _firstMatchedAt = null;
        if (session is null || !session.Patterns.IsMatched(0) || firstMatch is not { } matchedAt)
        {
            return;
        }
        _sessionsMatched++;
        _userMatched = true;
        var day = DateOnly.FromDateTime(matchedAt.UtcDateTime);
        _perDay[day] = _perDay.GetValueOrDefault(day) + 1;
        if (_examples.Count < MaxExamples)
        {
            _examples.Add(Example(session, matchedAt));
        }
    }

    private void EndUser()
    {
        if (_userMatched)
        {
            _usersMatched++;
        }
        _userMatched = false;
    }

    private static BacktestExample Example(TrackedSession session, DateTimeOffset matchedAt)
    {
        var a = session.Aggregate;
        var state = session.Patterns.StateOf(0);
        if (state is null || state.PositiveCount == 0)
        {
            return new BacktestExample(a.SessionId, a.UserId, matchedAt, a.StartedAt, a.LastActivityAt, a.EventCount, []);
        }
        return new BacktestExample(
            a.SessionId, a.UserId, matchedAt,
            new DateTimeOffset(state.FirstSeenTicks, TimeSpan.Zero),
            new DateTimeOffset(state.LastSeenTicks, TimeSpan.Zero),
            a.EventCount,
            [.. state.Evidence.ToArray().Select(x => x.EventId)]);
    }
}
