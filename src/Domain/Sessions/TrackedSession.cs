using SessionInsights.Domain.Context;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Domain.Sessions;

/// <summary>
/// A session as a user keeps it: its aggregate, its pattern state, and the row texts cached until
/// what they are built from changes (the row is produced after every event).
/// </summary>
internal sealed class TrackedSession
{
    private string? _summary;
    private int _summaryVersion = -1;
    private string? _patternsJson;
    private int _patternsVersion = -1;

    public TrackedSession(SessionAggregate aggregate, PatternState patterns)
    {
        Aggregate = aggregate;
        Patterns = patterns;
    }

    public TrackedSession(string sessionId, string userId, PatternRuleSet rules)
        : this(new SessionAggregate(sessionId, userId), new PatternState(rules))
    {
    }

    public SessionAggregate Aggregate { get; }

    public PatternState Patterns { get; private set; }

    public string SessionId => Aggregate.SessionId;

    public string Summary
    {
        get
        {
            var version = Aggregate.SummaryVersion;
            if (_summary is null || version != _summaryVersion)
            {
                _summary = SessionSummary.Build(Aggregate);
                _summaryVersion = version;
            }
            return _summary;
        }
    }

    public string PatternsJson
    {
        get
        {
            if (_patternsJson is null || Patterns.MatchVersion != _patternsVersion)
            {
                _patternsJson = PatternJson.ToRowJson(Patterns);
                _patternsVersion = Patterns.MatchVersion;
            }
            return _patternsJson;
        }
    }

    /// <summary>Rules (bit i: rule i, first 64) that started matching with the last applied event.</summary>
    public ulong NewlyMatched { get; private set; }

    /// <summary>Applies one event to the aggregate and the patterns; returns it with its sequence number.</summary>
    public EnrichedEvent Apply(EnrichedEvent e, DateTimeOffset now)
    {
        var sequenced = Aggregate.Apply(e, now);
        var before = Patterns.MatchMask;
        Patterns.Apply(sequenced);
        RefreshPatterns();
        Patterns.UpdateStatus(now);
        NewlyMatched = Patterns.MatchMask & ~before;
        return sequenced;
    }

    /// <summary>Moves the session's pattern state to another rule set (<see cref="PatternState.WithRules"/>); true when its matches changed.</summary>
    public bool UseRules(PatternRuleSet rules)
    {
        var before = PatternsJson;
        Patterns = Patterns.WithRules(rules);
        Patterns.RefreshAll(Aggregate.Duration, Aggregate.EventCount, Aggregate.PageViewsCount);
        // The new state's match versions start over: the cached text must not be taken for its own.
        _patternsJson = null;
        NewlyMatched = 0;
        return !string.Equals(before, PatternsJson, StringComparison.Ordinal);
    }

    /// <summary>Confirms the patterns whose negative window has passed by <paramref name="now"/>; true when a status changed.</summary>
    public bool UpdatePatternStatus(DateTimeOffset now) => Patterns.UpdateStatus(now);

    public bool CloseIfIdle(DateTimeOffset now, TimeSpan timeout)
    {
        if (!Aggregate.CloseIfIdle(now, timeout))
        {
            return false;
        }
        // The closing row is written anyway: let it carry the statuses as of now.
        Patterns.UpdateStatus(now);
        return true;
    }

    public SessionRecord ToRecord()
    {
        var a = Aggregate;
        return new SessionRecord(
            a.SessionId, a.UserId, a.StartedAt, a.LastActivityAt, a.EndedAt, a.EventCount, a.PageViewsCount,
            a.ClicksCount, a.FirstPage, a.LastPage, Summary, a.IsActive, PatternsJson);
    }

    public SessionSnapshot ToSnapshot() => Aggregate.ToSnapshot(Patterns.ToSnapshot());

    public static TrackedSession FromSnapshot(string userId, SessionSnapshot snapshot, PatternRuleSet rules)
    {
        var session = new TrackedSession(
            SessionAggregate.FromSnapshot(userId, snapshot),
            PatternState.FromSnapshot(rules, snapshot.Rules));
        var a = session.Aggregate;
        session.Patterns.RefreshAll(a.Duration, a.EventCount, a.PageViewsCount);
        return session;
    }

    private void RefreshPatterns() =>
        Patterns.Refresh(Aggregate.Duration, Aggregate.EventCount, Aggregate.PageViewsCount);
}
