using System.Diagnostics;
using SessionInsights.Domain;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Users;

namespace SessionInsights.Benchmarks;

/// <summary>
/// Enrichment + session + a rule pack on one thread: events per second and bytes allocated per event,
/// with the enriched event's own strings reported apart so the domain's overhead is visible. Several
/// packs run one after the other in one process, so their figures compare as ratios.
/// </summary>
internal static class DomainBenchmark
{
    public static void Run(int users, int eventsPerUser, int rounds, IReadOnlyList<string> packs)
    {
        var events = SyntheticEvents.Generate(users, eventsPerUser);
        foreach (var pack in packs)
        {
            Run(events, users, rounds, pack);
        }
    }

    private static void Run(PostHogEvent[] events, int users, int rounds, string pack)
    {
        var options = InsightsOptions.Default with { Rules = RulePacks.Load(pack) };
        Console.WriteLine($"Domain pipeline: {events.Length:N0} events, {users:N0} users, pack {pack} ({options.Rules.Count} rules), 1 thread");

        // Warm-up, so tiered JIT has settled before measuring.
        Apply(events, options);

        var enricher = new EventEnricher(options.Enrichment);
        var enrichOnlyBytes = Measure(() =>
        {
            foreach (var e in events)
            {
                _ = enricher.Enrich(e, e.SessionId);
            }
        }, out var enrichSeconds);
        var labelBytes = OwnStringBytes(events, enricher);

        long totalBytes = 0;
        double totalSeconds = 0;
        for (var r = 0; r < rounds; r++)
        {
            totalBytes += Measure(() => Apply(events, options), out var seconds);
            totalSeconds += seconds;
        }
        var n = (double)events.Length * rounds;
        Console.WriteLine($"  enrichment only:             {events.Length / enrichSeconds,12:N0} events/s   {enrichOnlyBytes / (double)events.Length,8:N0} B/event");
        Console.WriteLine($"  enrich + session + rules:    {n / totalSeconds,12:N0} events/s   {totalBytes / n,8:N0} B/event");
        Console.WriteLine($"  of which the event's own strings (label, page, text, context JSON): {labelBytes:N0} B/event");
        Console.WriteLine($"  overhead beyond them:        {totalBytes / n - labelBytes,8:N0} B/event");
    }

    private static void Apply(PostHogEvent[] events, InsightsOptions options)
    {
        var users = new Dictionary<string, UserActivity>(StringComparer.Ordinal);
        var now = events[^1].Timestamp;
        foreach (var e in events)
        {
            if (!users.TryGetValue(e.DistinctId, out var activity))
            {
                users[e.DistinctId] = activity = new UserActivity(e.DistinctId, options);
            }
            activity.Apply(e, now);
        }
    }

    private static long Measure(Action action, out double seconds)
    {
        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        action();
        seconds = sw.Elapsed.TotalSeconds;
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static double OwnStringBytes(PostHogEvent[] events, EventEnricher enricher)
    {
        long bytes = 0;
        foreach (var e in events)
        {
            var x = enricher.Enrich(e, e.SessionId);
            bytes += StringBytes(x.SemanticLabel) + StringBytes(x.PageTitle) + StringBytes(x.ElementText) + StringBytes(x.ElementType) + 24 + x.Context.Utf8Json.Length;
        }
        return bytes / (double)events.Length;
    }

    private static long StringBytes(string? s) => s is null ? 0 : 22 + 2L * s.Length;
}
