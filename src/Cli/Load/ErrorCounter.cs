using System.Collections.Concurrent;
using System.Net;

namespace SessionInsights.Cli.Load;

/// <summary>Failures by kind: <c>HTTP 503</c> for an answer, the exception's type name when there was none.</summary>
internal sealed class ErrorCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Status(HttpStatusCode status) => Add($"HTTP {(int)status}");

    public void Exception(Exception ex) => Add(ex is TaskCanceledException { InnerException: TimeoutException } ? "Timeout" : ex.GetType().Name);

    public void Add(string kind) => _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public long Total => _counts.Values.Sum();

    public IReadOnlyDictionary<string, long> Snapshot() =>
        _counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}
