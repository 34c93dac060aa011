using System.Globalization;

namespace SessionInsights.Domain.Backtests;

/// <summary>The half-open period [<see cref="From"/>, <see cref="To"/>) of stored events a backtest replays.</summary>
public readonly record struct BacktestPeriod(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>A longer period would make one request scan more than the 10 s budget allows (docs/patterns-and-sessions.md "Backtest").</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(30);

    /// <summary>What an absent <c>from</c> means: this long before <c>to</c>.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(7);

    /// <summary>
    /// Reads a period from request text: <c>to</c> defaults to <paramref name="now"/>, <c>from</c> to
    /// <see cref="DefaultLength"/> before <c>to</c>. Returns the field at fault and why, or null.
    /// </summary>
    public static (string Field, string Problem)? TryParse(string? fromText, string? toText, DateTimeOffset now, out BacktestPeriod period)
    {
        period = default;
        DateTimeOffset to = now.ToUniversalTime();
        if (toText is not null && !TryParseTime(toText, out to))
        {
            return ("to", "must be an ISO 8601 time (e.g. 2026-01-31T00:00:00Z)");
        }
        var from = to - DefaultLength;
        if (fromText is not null && !TryParseTime(fromText, out from))
        {
            return ("from", "must be an ISO 8601 time (e.g. 2026-01-01T00:00:00Z)");
        }
        if (from >= to)
        {
            return ("from", "must be before to");
        }
        if (to - from > MaxLength)
        {
            return ("from", $"must be at most {MaxLength.TotalDays.ToString(CultureInfo.InvariantCulture)} days before to");
        }
        period = new BacktestPeriod(from, to);
        return null;
    }

    private static bool TryParseTime(string text, out DateTimeOffset time)
    {
        // An offset-less time is read as UTC: a period is compared with stored UTC timestamps.
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
        return ok && time.Year is >= 1970 and <= 9998;
    }
}
