namespace SessionInsights.Grains.Monitoring;

/// <summary>One log line as a node's ring logger kept it (level as its name: Information, Warning, …).</summary>
public sealed record LogLine(DateTimeOffset At, string Level, string Category, string Message);

/// <summary>A log line at the hub, with the node that wrote it.</summary>
public sealed record NodeLogLine(string Node, DateTimeOffset At, string Level, string Category, string Message);
