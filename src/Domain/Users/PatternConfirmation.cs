using SessionInsights.Domain.Sessions;

namespace SessionInsights.Domain.Users;

/// <summary>
/// A pattern that just moved from pending to confirmed: a rule of a session whose negative window
/// ended at <see cref="WindowEnd"/>. Read in the same grain turn, while the session still shows that state.
/// </summary>
public readonly struct PatternConfirmation
{
    internal PatternConfirmation(TrackedSession session, int rule, DateTimeOffset windowEnd)
    {
        Session = session;
        Rule = rule;
        WindowEnd = windowEnd;
    }

    internal TrackedSession Session { get; }

    /// <summary>The rule's index in the session's rule set.</summary>
    public int Rule { get; }

    /// <summary>When the negative window ended (the last positive event's time plus the window).</summary>
    public DateTimeOffset WindowEnd { get; }

    public string SessionId => Session.SessionId;
}
