using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Grains.Abstractions;

// The monitoring types inside cross the wire with the System.Text.Json codec (see GrainSerialization).

/// <summary>
/// One node's report to the insights hub: its figures now, and the log lines and pattern firings it
/// added since the hub last acknowledged (each list numbered from its <c>…From</c>, consecutively),
/// so a lost or repeated report neither loses nor duplicates lines.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NodeReport(
    NodeStats Stats,
    long LogsFrom,
    IReadOnlyList<LogLine> Logs,
    long FiringsFrom,
    IReadOnlyList<PatternFiring> Firings);

/// <summary>The numbers of the next log line and pattern firing the hub wants from this node.</summary>
[GenerateSerializer, Immutable]
public sealed record ReportAck(long LogsNext, long FiringsNext);
