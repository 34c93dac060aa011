using System.Diagnostics;
using System.Text.Json;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Storage;

namespace SessionInsights.Domain.Backtests;

/// <summary>
/// Backtests one rule against a project's stored events: the service behind <c>POST /rules/backtest</c>
/// (a draft rule) and <c>POST /rules/{code}/backtest</c> (a saved one). Takes a parsed rule, so either
/// caller validates its rule its own way first.
/// </summary>
public sealed class RuleBacktester(IEnrichedEventScan scan)
{
    public async Task<BacktestReport> RunAsync(long projectId, PatternRuleSet rule, BacktestPeriod period, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await BacktestRunner.RunAsync(rule, scan.ScanSessionEventsAsync(projectId, period.From, period.To, ct), ct).ConfigureAwait(false);
        return new BacktestReport(rule.Rules[0].Code, period, result, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Parses one rule object of the rule file format through <see cref="PatternRuleSet.FromJson"/> (so
    /// every filter field the format knows is accepted). Throws <see cref="PatternRuleException"/>.
    /// </summary>
    public static PatternRuleSet ParseRule(JsonElement rule) =>
        PatternRuleSet.FromJson("{\"rules\":[" + rule.GetRawText() + "]}");
}

/// <summary>A backtest's answer: the rule, the period, what was found and how long it took.</summary>
public sealed record BacktestReport(string RuleCode, BacktestPeriod Period, BacktestResult Result, TimeSpan Elapsed);
