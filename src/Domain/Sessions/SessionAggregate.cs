using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Sessions;

/// <summary>
/// The SPEC §5 aggregates of one session, updated one event at a time in O(1). Everything derived
/// from timestamps (start, last activity, first and last page, first-seen titles) is independent of
/// arrival order; only sequence numbers record arrival.
/// </summary>
public sealed class SessionAggregate
{
    public SessionAggregate(string sessionId, string userId)
    {
        SessionId = sessionId;
        UserId = userId;
    }

    public string SessionId { get; }
    public string UserId { get; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset LastActivityAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public int EventCount { get; private set; }
    public int PageViewsCount { get; private set; }
    public int ClicksCount { get; private set; }
    public int RageClicksCount { get; private set; }
    public int CustomEventsCount { get; private set; }
    public string FirstPage { get; private set; } = "";
    public string LastPage { get; private set; } = "";
    public bool IsActive { get; private set; }

    /// <summary>
    /// The wall-clock time the latest event was applied. Idle close waits for both clocks, so that a
    /// backfill of old events does not close and reopen the session between consecutive events.
    /// </summary>
    public DateTimeOffset LastReceivedAt { get; private set; }

    public TimeSpan Duration => LastActivityAt - StartedAt;

    private FirstSeenTitles _titles;

    /// <summary>The first three distinct page titles; by reference, as it is a struct kept inline.</summary>
    internal ref readonly FirstSeenTitles Titles => ref _titles;

    /// <summary>Bumped whenever anything the summary reads changes.</summary>
    internal int SummaryVersion => PageViewsCount + ClicksCount + RageClicksCount + CustomEventsCount + Titles.Version;

    /// <summary>
    /// Adds <paramref name="e"/> and returns it with its sequence number (arrival order, from 1). A closed
    /// session is reopened: a late event means the user was not gone after all.
    /// </summary>
    public EnrichedEvent Apply(EnrichedEvent e, DateTimeOffset now)
    {
        var seq = ++EventCount;
        var at = e.Timestamp.ToUniversalTime();
        // The new event has the highest sequence number, so on a timestamp tie it is never the first
        // event and always the last one: strict and non-strict comparisons implement the tie-break.
        if (seq == 1 || at < StartedAt)
        {
            (StartedAt, FirstPage) = (at, e.PagePath);
        }
        if (seq == 1 || at >= LastActivityAt)
        {
            (LastActivityAt, LastPage) = (at, e.PagePath);
        }

        if (string.Equals(e.EventName, "$pageview", StringComparison.Ordinal))
        {
            PageViewsCount++;
            _titles.Observe(e.PageTitle, at.UtcTicks, seq);
        }
        if (string.Equals(e.EventType, "click", StringComparison.Ordinal))
        {
            ClicksCount++;
        }
        if (string.Equals(e.ActionType, "rage_click", StringComparison.Ordinal))
        {
            RageClicksCount++;
        }
        if (string.Equals(e.EventType, "custom", StringComparison.Ordinal))
        {
            CustomEventsCount++;
        }

        IsActive = true;
        EndedAt = null;
        if (now > LastReceivedAt)
        {
            LastReceivedAt = now.ToUniversalTime();
        }
        return e with { SequenceNumber = seq };
    }

    /// <summary>When an open session becomes idle: the timeout after the later of its two clocks.</summary>
    /// <remarks>Held at the end of time rather than thrown: an event stored before the time bounds existed may sit there.</remarks>
    public DateTimeOffset IdleDeadline(TimeSpan timeout) =>
        Events.EventTime.Add(LastActivityAt > LastReceivedAt ? LastActivityAt : LastReceivedAt, timeout);

    /// <summary>Closes the session if it is idle at <paramref name="now"/>; ended_at is the last activity.</summary>
    public bool CloseIfIdle(DateTimeOffset now, TimeSpan timeout)
    {
        if (!IsActive || now < IdleDeadline(timeout))
        {
            return false;
        }
        IsActive = false;
        EndedAt = LastActivityAt;
        return true;
    }

    internal SessionSnapshot ToSnapshot(List<Patterns.RuleStateSnapshot> rules) => new()
    {
        SessionId = SessionId,
        StartedAt = StartedAt,
        LastActivityAt = LastActivityAt,
        EndedAt = EndedAt,
        LastReceivedAt = LastReceivedAt,
        EventCount = EventCount,
        PageViews = PageViewsCount,
        Clicks = ClicksCount,
        RageClicks = RageClicksCount,
        CustomEvents = CustomEventsCount,
        FirstPage = FirstPage,
        LastPage = LastPage,
        IsActive = IsActive,
        Titles = Titles.ToSnapshot(),
        Rules = rules,
    };

    internal static SessionAggregate FromSnapshot(string userId, SessionSnapshot s) => new(s.SessionId, userId)
    {
        StartedAt = s.StartedAt,
        LastActivityAt = s.LastActivityAt,
        EndedAt = s.EndedAt,
        LastReceivedAt = s.LastReceivedAt,
        EventCount = s.EventCount,
        PageViewsCount = s.PageViews,
        ClicksCount = s.Clicks,
        RageClicksCount = s.RageClicks,
        CustomEventsCount = s.CustomEvents,
        FirstPage = s.FirstPage,
        LastPage = s.LastPage,
        IsActive = s.IsActive,
        _titles = FirstSeenTitles.FromSnapshot(s.Titles),
    };
}
