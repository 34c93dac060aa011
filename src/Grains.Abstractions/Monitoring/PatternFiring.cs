namespace SessionInsights.Grains.Monitoring;

/// <summary>A pattern rule of this project newly matched a session of this user at this time.</summary>
public sealed record PatternFiring(long ProjectId, string Rule, string UserId, DateTimeOffset At);

/// <summary>Firings of one rule in a window, the latest distinct users first.</summary>
public sealed record PatternCount(string Rule, int Count, IReadOnlyList<string> Users, DateTimeOffset LastAt);

/// <summary>How often one rule of a project fired in the last hour and the last day (as the hub counted them, see <c>RuleFiringCounts</c>).</summary>
public sealed record RuleFiringCount(string Rule, int LastHour, int LastDay);
