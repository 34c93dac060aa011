using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Patterns;

namespace SessionInsights.Domain.Backtests;

/// <summary>Drives a <see cref="BacktestAccumulator"/> over a stream; see there for the order the stream must have.</summary>
public static class BacktestRunner
{
    public static async Task<BacktestResult> RunAsync(PatternRuleSet rule, IAsyncEnumerable<EnrichedEvent> events, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var accumulator = new BacktestAccumulator(rule);
        await foreach (var e in events.WithCancellation(ct).ConfigureAwait(false))
        {
            accumulator.Add(e);
        }
        return accumulator.Finish();
    }
}
