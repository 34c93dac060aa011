namespace SessionInsights.Domain.Backtests;

/// <summary>What replaying a period's sessions through one rule found.</summary>
/// <param name="EventsScanned">Stored events read (events without a session are read and skipped).</param>
/// <param name="Share">SessionsMatched / SessionsTotal; 0 when there was no session.</param>
/// <param name="MatchesPerDay">Matched sessions per UTC day of their first match, days in order, days without a match left out.</param>
/// <param name="Examples">The first <see cref="BacktestAccumulator.MaxExamples"/> matched sessions in scan order (by user, then session id).</param>
public sealed record BacktestResult(
    long EventsScanned,
    long SessionsTotal,
    long SessionsMatched,
    long UsersTotal,
    long UsersMatched,
    double Share,
    IReadOnlyList<BacktestDay> MatchesPerDay,
    IReadOnlyList<BacktestExample> Examples);

/// <summary>Matched sessions whose first match fell on <see cref="Day"/> (UTC).</summary>
public sealed record BacktestDay(DateOnly Day, long Sessions);

/// <summary>
/// One matched session and the rule's evidence in it: the latest positive events' ids (oldest first) and
/// when positive events were first and last seen. A rule on a session filter alone has no positive
/// events: its first and last seen are the session's first and last event.
/// </summary>
public sealed record BacktestExample(
    string SessionId,
    string UserId,
    DateTimeOffset MatchedAt,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    int SessionEvents,
    IReadOnlyList<Guid> EvidenceEventIds);
