namespace SessionInsights.Grains.Monitoring;

/// <summary>A pattern rule newly matched a session of this user at this time.</summary>
public sealed record PatternFiring(string Rule, string UserId, DateTimeOffset At);

/// <summary>Firings of one rule in a window, the latest distinct users first.</summary>
public sealed record PatternCount(string Rule, int Count, IReadOnlyList<string> Users, DateTimeOffset LastAt);
